/** The search box over the conversation list, and the results in its place while a search is shown. */
import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ConversationInfo, SearchHit } from '../../../../shared/index.js';
import { formatDateTime, formatTime } from '../../components/format.js';
import { HubErrorText } from '../../components/hub-error-text.js';
import { conversationTitle } from './conversation-title.js';
import { SnippetText } from './snippet-text.js';
import type { MessageSearch } from './use-message-search.js';

const ALL = '';

export function SearchForm({ search, openId }: { search: MessageSearch; openId: string | undefined }) {
  const [text, setText] = useState('');
  const [scope, setScope] = useState(ALL);
  const inputId = useId();
  const scopeValue = scope !== ALL && scope === openId ? scope : ALL;

  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    if (text.trim() === '') return;
    search.run({ q: text.trim(), conversation: scopeValue === ALL ? undefined : scopeValue });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key !== 'Escape') return;
    setText('');
    search.clear();
  };

  return (
    <form className="search-form" role="search" onSubmit={onSubmit}>
      <label htmlFor={inputId} className="sr-only">
        Search messages
      </label>
      <input
        id={inputId}
        type="search"
        placeholder="Search messages…"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        data-testid="search-input"
      />
      <div className="row">
        <select value={scopeValue} onChange={(event) => setScope(event.target.value)} aria-label="Where to search" data-testid="search-scope">
          <option value={ALL}>All conversations</option>
          {openId === undefined ? null : <option value={openId}>Only {conversationTitle(openId)}</option>}
        </select>
        <button type="submit" disabled={text.trim() === ''}>
          Search
        </button>
      </div>
    </form>
  );
}

export interface SearchResultsProps {
  search: MessageSearch;
  conversations: ReadonlyMap<string, ConversationInfo>;
  onOpen(hit: SearchHit): void;
}

export function SearchResults({ search, conversations, onOpen }: SearchResultsProps) {
  const { request, results, busy, error, nextBefore } = search;
  if (request === undefined) return null;
  return (
    <section className="search-results" aria-label="Search results" data-testid="search-results">
      <div className="row search-results-head">
        <span className="muted" role="status">
          {busy && results.length === 0
            ? 'Searching…'
            : `${results.length}${nextBefore === null ? '' : '+'} result${results.length === 1 ? '' : 's'} for “${request.q}”`}
        </span>
        <button type="button" className="link-button" onClick={search.clear}>
          Close
        </button>
      </div>
      <HubErrorText error={error} />
      {!busy && error === undefined && results.length === 0 ? (
        <p className="muted">Nothing matches. Search looks for whole words; add `*` for a prefix, e.g. `pars*`.</p>
      ) : null}
      <ul className="search-result-list">
        {results.map((hit) => (
          <li key={hit.seq}>
            <button
              type="button"
              className="search-result"
              onClick={() => onOpen(hit)}
              data-testid="search-result"
              data-conversation-id={hit.conversation_id}
              data-seq={hit.seq}
            >
              <span className="search-result-head">
                <span className="search-result-where">{conversationTitle(hit.conversation_id, conversations.get(hit.conversation_id))}</span>
                <span className="muted">{hit.sender}</span>
                <time className="muted" dateTime={hit.created_at} title={formatDateTime(hit.created_at)}>
                  {formatTime(hit.created_at)}
                </time>
              </span>
              <SnippetText snippet={hit.snippet} />
            </button>
          </li>
        ))}
      </ul>
      {nextBefore === null ? null : (
        <button type="button" onClick={search.more} disabled={busy}>
          {busy ? 'Loading…' : 'More results'}
        </button>
      )}
    </section>
  );
}
