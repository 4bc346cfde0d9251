/** One stored message in the timeline: who, when, what kind, the text, and the payload readable. Memoised: a row renders once. */
import { memo } from 'react';
import type { StoredMessage } from '../../../../shared/index.js';
import { formatDateTime, formatTime } from '../../components/format.js';
import { PayloadView } from '../../components/payload-view.js';
import { taskHref, shortTaskId } from '../tasks/task-links.js';
import { MessageEffects } from './message-effects.js';
import { SenderName } from './sender-name.js';

/** Payloads longer than this (characters or lines) start collapsed behind a toggle. */
const LARGE_PAYLOAD_CHARS = 400;
const LARGE_PAYLOAD_LINES = 10;

export interface MessageRowProps {
  message: StoredMessage;
  /** Posted by the person at this window. */
  own: boolean;
  payloadOpen: boolean;
  highlighted: boolean;
  onTogglePayload(seq: number): void;
}

export const MessageRow = memo(function MessageRow({ message, own, payloadOpen, highlighted, onTogglePayload }: MessageRowProps) {
  const className = `message${own ? ' message-own' : ''}${highlighted ? ' message-highlighted' : ''}`;
  return (
    <div className={className} data-testid="message" data-seq={message.seq} data-sender={message.sender} data-message-type={message.message_type}>
      <div className="message-head">
        <SenderName name={message.sender} />
        {message.origin_hub === undefined ? null : (
          <span className="chip chip-muted" data-testid="message-hub" title="Sent on another federated hub">
            on {message.origin_hub}
          </span>
        )}
        {message.message_type === 'message' ? null : (
          <span className="chip chip-info" data-testid="message-type">
            {message.message_type}
          </span>
        )}
        {message.incomplete === true ? (
          <span className="chip chip-warn" data-testid="message-incomplete" title="The sender disconnected before finishing this stream; this is what arrived.">
            incomplete
          </span>
        ) : null}
        <time className="muted" dateTime={message.created_at} title={formatDateTime(message.created_at)}>
          {formatTime(message.created_at)}
        </time>
        {message.in_reply_to === undefined ? null : <span className="muted message-reply">↩ #{message.in_reply_to}</span>}
        {message.task_id === undefined ? null : (
          <a className="message-task mono" href={taskHref(message.task_id)} title={`About task ${message.task_id}`} data-testid="message-task">
            task {shortTaskId(message.task_id)}
          </a>
        )}
        <span className="muted message-seq">#{message.seq}</span>
      </div>
      {message.content === '' ? null : <div className="message-content">{message.content}</div>}
      <MessagePayload seq={message.seq} payload={message.payload} open={payloadOpen} onToggle={onTogglePayload} />
      <MessageEffects seq={message.seq} />
    </div>
  );
});

function MessagePayload({ seq, payload, open, onToggle }: { seq: number; payload: unknown; open: boolean; onToggle(seq: number): void }) {
  if (payload === undefined || payload === null) return null;
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload, null, 2);
  const lines = text.split('\n').length;
  if (text.length <= LARGE_PAYLOAD_CHARS && lines <= LARGE_PAYLOAD_LINES) return <PayloadView value={payload} label={`payload of message ${seq}`} />;
  return (
    <div className="message-payload">
      <button type="button" className="link-button" aria-expanded={open} onClick={() => onToggle(seq)}>
        {open ? 'Hide payload' : `Show payload (${lines} lines)`}
      </button>
      {open ? <PayloadView value={payload} label={`payload of message ${seq}`} /> : null}
    </div>
  );
}
