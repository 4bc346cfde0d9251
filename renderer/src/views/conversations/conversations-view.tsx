/**
 * Conversations: the list (or search results) on the left, the open conversation on the right —
 * `#/conversations/<id>`, with `?seq=<n>` to jump to a message.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { SearchHit } from '../../../../shared/index.js';
import { EmptyState } from '../../components/empty-state.js';
import { HubErrorText } from '../../components/hub-error-text.js';
import { navigate, useRoute } from '../../router.js';
import { useStore } from '../../store/store.js';
import { ConversationList } from './conversation-list.js';
import { ConversationPane } from './conversation-pane.js';
import { SearchForm, SearchResults } from './search-panel.js';
import { writeSeen } from './seen-storage.js';
import { useConversationList } from './use-conversation-list.js';
import { useMessageSearch } from './use-message-search.js';
import './conversations.css';

const SAVE_SEEN_EVERY_MS = 1000;

export function ConversationsView() {
  const route = useRoute();
  const selectedId = route.param;
  const seqParam = Number(route.query.get('seq') ?? Number.NaN);
  const focusSeq = Number.isInteger(seqParam) ? seqParam : undefined;
  // Opening the same search result twice still scrolls to it: each click is a new jump.
  const [jumps, setJumps] = useState(0);
  const focus = useMemo(() => (focusSeq === undefined ? undefined : { seq: focusSeq, nonce: jumps }), [focusSeq, jumps]);
  const admin = useStore((s) => s.session?.admin ?? false);
  const { query, byId } = useConversationList(selectedId);
  const search = useMessageSearch();
  useSaveSeen();
  useMarkReadOnOpen(selectedId);

  const openHit = useCallback((hit: SearchHit) => {
    setJumps((n) => n + 1);
    navigate('conversations', hit.conversation_id, { seq: String(hit.seq) });
  }, []);

  const noConversations = query.data !== undefined && byId.size === 0;
  return (
    <div className="conversations">
      <aside className="conversations-side">
        <SearchForm search={search} openId={selectedId} />
        {search.request !== undefined ? (
          <SearchResults search={search} conversations={byId} onOpen={openHit} />
        ) : (
          <>
            <HubErrorText error={query.error} />
            {noConversations ? (
              <EmptyState title="No conversations yet">
                Agents' conversations appear here. Try <code>switchboard send general hello</code> or <code>npm run demo</code>.
              </EmptyState>
            ) : (
              <ConversationList conversations={byId} selectedId={selectedId} admin={admin} onChanged={query.reload} />
            )}
          </>
        )}
      </aside>
      <div className="conversations-main">
        {selectedId === undefined ? (
          <EmptyState title={noConversations ? 'Nothing to show yet' : 'No conversation selected'}>
            {noConversations
              ? 'When an agent posts, its conversation shows up on the left.'
              : 'Pick a conversation on the left to read it live, or search all messages above the list.'}
          </EmptyState>
        ) : (
          <ConversationPane key={selectedId} id={selectedId} info={byId.get(selectedId)} focus={focus} onChanged={query.reload} />
        )}
      </div>
    </div>
  );
}

/** Opening a conversation reads it: its unread count goes at once, not when its messages have loaded. */
function useMarkReadOnOpen(id: string | undefined): void {
  useEffect(() => {
    if (id !== undefined) useStore.getState().markRead([id]);
  }, [id]);
}

/** Keeps the open conversation's "seen up to" seq in localStorage, once a second rather than per message. */
function useSaveSeen(): void {
  useEffect(() => {
    const save = (): void => {
      const { openConversation, activity } = useStore.getState();
      const seen = openConversation === undefined ? undefined : activity[openConversation]?.seen_seq;
      if (openConversation !== undefined && seen !== undefined) writeSeen({ [openConversation]: seen });
    };
    const timer = setInterval(save, SAVE_SEEN_EVERY_MS);
    return () => {
      clearInterval(timer);
      save();
    };
  }, []);
}
