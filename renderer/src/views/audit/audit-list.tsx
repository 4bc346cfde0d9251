/**
 * The trail, newest at the bottom like `tail -f`. While the person is at the end it follows new entries;
 * scrolled up to read, it stays put and offers a jump back. Each entry opens to its full JSON.
 */
import { memo, useLayoutEffect, useRef, useState } from 'react';
import type { AuditEntry } from '../../../../shared/index.js';
import { formatDateTime, formatTime } from '../../components/format.js';
import { PayloadView } from '../../components/payload-view.js';
import { href } from '../../router.js';
import { summarise } from './audit-model.js';

/** Within this many pixels of the bottom counts as "at the end". */
const END_SLACK_PX = 24;

function kindTone(entry: AuditEntry): string {
  if (entry.source === 'message') return 'muted';
  if (entry.kind === 'auth_failure' || entry.kind.endsWith('failed') || entry.kind.endsWith('_refused') || entry.kind === 'offline_queue_drop') return 'danger';
  if (entry.kind.startsWith('token_') || entry.kind.startsWith('conversation_paused') || entry.kind === 'callback_retrying' || entry.kind === 'task.alerted')
    return 'warn';
  if (entry.kind.endsWith('completed') || entry.kind.endsWith('_delivered')) return 'ok';
  return 'info';
}

/** `focus`: an entry id to open, mark and bring into view (a link from a task's lineage); the list then stops following. */
export function AuditList({ entries, focus }: { entries: readonly AuditEntry[]; focus?: string | undefined }) {
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(focus === undefined);
  const [atEnd, setAtEnd] = useState(focus === undefined);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set(focus === undefined ? [] : [focus]));
  const focusShown = entries.some((entry) => entry.id === focus);

  useLayoutEffect(() => {
    const node = scroller.current;
    if (node !== null && following.current) node.scrollTop = node.scrollHeight;
  }, [entries]);

  useLayoutEffect(() => {
    if (focus === undefined || !focusShown) return;
    scroller.current?.querySelector(`[data-id="${CSS.escape(focus)}"]`)?.scrollIntoView({ block: 'center' });
  }, [focus, focusShown]);

  const onScroll = (): void => {
    const node = scroller.current;
    if (node === null) return;
    const end = node.scrollHeight - node.scrollTop - node.clientHeight <= END_SLACK_PX;
    following.current = end;
    setAtEnd(end);
  };

  const jumpToEnd = (): void => {
    const node = scroller.current;
    if (node === null) return;
    following.current = true;
    setAtEnd(true);
    node.scrollTop = node.scrollHeight;
  };

  const toggle = (id: string): void =>
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <div className="audit-list-wrap">
      <div className="audit-list" ref={scroller} onScroll={onScroll} role="log" aria-label="Audit entries" aria-live="off" tabIndex={0}>
        <ol>
          {entries.map((entry) => (
            <AuditRow key={entry.id} entry={entry} open={expanded.has(entry.id)} focused={entry.id === focus} onToggle={toggle} />
          ))}
        </ol>
      </div>
      {atEnd ? null : (
        <button type="button" className="jump-to-end" onClick={jumpToEnd}>
          ↓ Newest
        </button>
      )}
    </div>
  );
}

const AuditRow = memo(function AuditRow({
  entry,
  open,
  focused,
  onToggle,
}: {
  entry: AuditEntry;
  open: boolean;
  focused: boolean;
  onToggle(id: string): void;
}) {
  return (
    <li className={focused ? 'audit-entry audit-entry-focused' : 'audit-entry'} data-testid="audit-entry" data-kind={entry.kind} data-id={entry.id}>
      {/* The whole line toggles on a click; its button (named by time, kind, actor and subject, not the
          free text) is what the keyboard reaches, and its click bubbles up to the line. */}
      <div className="audit-line" onClick={() => onToggle(entry.id)}>
        <button type="button" className="audit-summary" aria-expanded={open}>
          <span className="audit-caret" aria-hidden="true">
            {open ? '▾' : '▸'}
          </span>
          <time dateTime={entry.ts} title={formatDateTime(entry.ts)} className="audit-time">
            {formatTime(entry.ts)}
          </time>
          <span className={`chip chip-${kindTone(entry)} audit-kind`}>{entry.kind}</span>
          <span className="audit-actor">{entry.actor ?? '—'}</span>
          <span className="audit-subject mono">{entry.subject ?? ''}</span>
        </button>
        <span className="audit-text">{summarise(entry)}</span>
      </div>
      {open ? (
        <div className="audit-detail">
          <EntryLink entry={entry} />
          <PayloadView value={entry} label={`Entry ${entry.id}`} />
        </div>
      ) : null}
    </li>
  );
});

/** Where an entry's subject lives in the window: a task's detail, a message's conversation. */
function EntryLink({ entry }: { entry: AuditEntry }) {
  if (entry.subject === null) return null;
  if (entry.kind.startsWith('task.')) return <a href={href('tasks', entry.subject)}>Open task {entry.subject}</a>;
  if (entry.source === 'message') return <a href={href('conversations', entry.subject)}>Open conversation {entry.subject}</a>;
  return null;
}
