/** One open conversation: its header (with the loop breaker's pause), filters, the live timeline and the composer. */
import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ConversationInfo, StoredMessage } from '../../../../shared/index.js';
import { ChoiceFilter } from '../../components/choice-filter.js';
import { EmptyState } from '../../components/empty-state.js';
import { HubErrorText } from '../../components/hub-error-text.js';
import type { LiveStream } from '../../store/live-state.js';
import { useStore } from '../../store/store.js';
import { Composer } from './composer.js';
import { conversationTitle } from './conversation-title.js';
import { DistinctValues } from './distinct-values.js';
import { ResumeButton } from './resume-button.js';
import { Timeline, type TimelineFocus } from './timeline.js';
import { useTimelineLoader } from './use-timeline-loader.js';

const NO_MESSAGES: readonly StoredMessage[] = [];

export interface ConversationPaneProps {
  id: string;
  info: ConversationInfo | undefined;
  focus: TimelineFocus | undefined;
  onChanged(): void;
}

export function ConversationPane({ id, info, focus, onChanged }: ConversationPaneProps) {
  const loader = useTimelineLoader(id, focus?.seq, focus?.nonce ?? 0);
  const timeline = useStore((s) => (s.openConversation === id ? s.timeline : NO_MESSAGES));
  const streams = useStore(useShallow((s) => Object.values(s.streams).filter((stream: LiveStream) => stream.conversation_id === id)));
  const paused = useStore((s) => s.activity[id]?.paused ?? (info !== undefined && info.paused !== null));
  const session = useStore((s) => s.session);
  const [distinct] = useState(() => new DistinctValues());
  const { senders, types } = useMemo(() => distinct.update(timeline), [distinct, timeline]);
  const [filter, setFilter] = useState({ sender: '', type: '' });
  // A jump to a message shows it whatever the filters are.
  const [filterFocus, setFilterFocus] = useState(focus);
  if (filterFocus !== focus) {
    setFilterFocus(focus);
    if (focus !== undefined) setFilter({ sender: '', type: '' });
  }
  const shown = useMemo(
    () =>
      filter.sender === '' && filter.type === ''
        ? timeline
        : timeline.filter((m) => (filter.sender === '' || m.sender === filter.sender) && (filter.type === '' || m.message_type === filter.type)),
    [timeline, filter],
  );
  const shownStreams = useMemo(
    () => streams.filter((s) => (filter.sender === '' || s.sender === filter.sender) && (filter.type === '' || s.message_type === filter.type)),
    [streams, filter],
  );
  const title = conversationTitle(id, info);
  const filtered = filter.sender !== '' || filter.type !== '';

  return (
    <section className="conversation-pane" aria-label={title} data-testid="conversation-pane" data-conversation-id={id}>
      <header className="conversation-head">
        <h2>{title}</h2>
        {info?.members === null || info?.members === undefined ? null : <span className="muted">members: {info.members.join(', ')}</span>}
        <div className="toolbar conversation-filters">
          <ChoiceFilter
            label="Filter by agent"
            allLabel="All agents"
            value={filter.sender}
            choices={senders}
            onChange={(sender) => setFilter({ ...filter, sender })}
            testId="filter-sender"
          />
          <ChoiceFilter
            label="Filter by message type"
            allLabel="All types"
            value={filter.type}
            choices={types}
            onChange={(type) => setFilter({ ...filter, type })}
            testId="filter-type"
          />
          {filtered ? (
            <button type="button" onClick={() => setFilter({ sender: '', type: '' })}>
              Clear filters
            </button>
          ) : null}
          {filtered ? (
            <span className="muted" data-testid="filter-count">
              {shown.length.toLocaleString()} of {timeline.length.toLocaleString()} loaded
            </span>
          ) : null}
        </div>
      </header>
      {paused ? (
        <div className="paused-banner" role="status" data-testid="paused-banner">
          <span>
            <strong>Paused by the loop breaker.</strong> {info?.paused?.reason ?? 'Agents kept answering each other.'}
          </span>
          {session?.admin === true ? <ResumeButton conversationId={id} onResumed={onChanged} /> : <span className="muted">The admin can resume it.</span>}
        </div>
      ) : null}
      {loader.status === 'failed' ? (
        <div className="row conversation-error">
          <HubErrorText error={loader.error} />
          <button type="button" onClick={loader.retry}>
            Try again
          </button>
        </div>
      ) : null}
      <div className="conversation-body">
        <Timeline label={`Messages in ${title}`} messages={shown} streams={shownStreams} ownAgent={session?.agent} loader={loader} focus={focus} />
        {loader.status === 'loading' && timeline.length === 0 ? <p className="timeline-overlay muted">Loading messages…</p> : null}
        {loader.status === 'ready' && timeline.length === 0 && streams.length === 0 ? (
          <div className="timeline-overlay">
            <EmptyState title="No messages yet">
              Post the first one below, or from a terminal: <code>switchboard send {id} hello</code>
            </EmptyState>
          </div>
        ) : null}
        {loader.status === 'ready' && timeline.length > 0 && shown.length === 0 && shownStreams.length === 0 ? (
          <div className="timeline-overlay">
            <EmptyState title="No loaded message matches the filters">
              <button type="button" onClick={() => setFilter({ sender: '', type: '' })}>
                Clear filters
              </button>
            </EmptyState>
          </div>
        ) : null}
      </div>
      <Composer conversationId={id} title={title} paused={paused} />
    </section>
  );
}
