/**
 * The conversations, newest activity first, live: unread counts for messages that arrived while another
 * was open, a dot for anything new since the last visit, Mark all read to clear both, and the loop breaker's
 * pause with Resume.
 * Each row reads only its own entry of the store, so a busy conversation re-renders only its row.
 */
import { memo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ConversationInfo } from '../../../../shared/index.js';
import { href } from '../../router.js';
import { useStore } from '../../store/store.js';
import { conversationTitle } from './conversation-title.js';
import { ResumeButton } from './resume-button.js';
import { writeSeen } from './seen-storage.js';

export interface ConversationListProps {
  conversations: ReadonlyMap<string, ConversationInfo>;
  selectedId: string | undefined;
  admin: boolean;
  onChanged(): void;
}

export function ConversationList({ conversations, selectedId, admin, onChanged }: ConversationListProps) {
  // Listed conversations plus any that appeared live since, ordered by their newest message.
  const order = useStore(
    useShallow((s) => {
      const ids = new Set([...conversations.keys(), ...Object.keys(s.activity)]);
      const lastSeq = (id: string): number => Math.max(s.activity[id]?.last_seq ?? 0, conversations.get(id)?.last_seq ?? 0);
      return [...ids].sort((a, b) => lastSeq(b) - lastSeq(a) || a.localeCompare(b));
    }),
  );
  return (
    <>
      <MarkAllRead />
      <ul className="conversation-list" aria-label="Conversations">
        {order.map((id) => (
          <ConversationItem key={id} id={id} info={conversations.get(id)} selected={id === selectedId} admin={admin} onChanged={onChanged} />
        ))}
      </ul>
    </>
  );
}

function markAllRead(): void {
  const { activity, markRead } = useStore.getState();
  markRead(Object.keys(activity));
  writeSeen(Object.fromEntries(Object.entries(activity).map(([id, entry]) => [id, entry.last_seq])));
}

function MarkAllRead() {
  const anythingNew = useStore((s) => Object.values(s.activity).some((entry) => entry.unread > 0 || entry.last_seq > entry.seen_seq));
  return (
    <div className="conversation-list-head">
      <button type="button" className="link-button" onClick={markAllRead} disabled={!anythingNew} data-testid="mark-all-read">
        Mark all read
      </button>
    </div>
  );
}

interface ConversationItemProps {
  id: string;
  info: ConversationInfo | undefined;
  selected: boolean;
  admin: boolean;
  onChanged(): void;
}

const ConversationItem = memo(function ConversationItem({ id, info, selected, admin, onChanged }: ConversationItemProps) {
  const activity = useStore((s) => s.activity[id]);
  const unread = activity?.unread ?? 0;
  const lastSeq = Math.max(activity?.last_seq ?? 0, info?.last_seq ?? 0);
  const seenSeq = activity?.seen_seq ?? 0;
  const hasNew = !selected && unread === 0 && lastSeq > seenSeq;
  const paused = activity?.paused ?? (info !== undefined && info.paused !== null);
  const title = conversationTitle(id, info);
  return (
    <li className={`conversation-row${selected ? ' selected' : ''}`}>
      <a
        href={href('conversations', id)}
        className="conversation-item"
        aria-current={selected ? 'page' : undefined}
        data-testid="conversation-item"
        data-conversation-id={id}
        data-paused={paused ? 'true' : undefined}
      >
        <span className={hasNew || unread > 0 ? 'conversation-title unread' : 'conversation-title'}>{title}</span>
        {paused ? (
          <span className="chip chip-warn" data-testid="paused-chip" title={info?.paused?.reason}>
            paused
          </span>
        ) : null}
        {unread > 0 ? (
          <span className="badge" data-testid="unread-count" aria-label={`${unread} unread`}>
            {unread > 999 ? '999+' : unread}
          </span>
        ) : hasNew ? (
          <span className="new-dot" data-testid="new-dot" role="img" aria-label="new since your last visit" />
        ) : null}
      </a>
      {paused && admin ? (
        <div className="conversation-resume">
          <ResumeButton conversationId={id} onResumed={onChanged} />
        </div>
      ) : null}
    </li>
  );
});
