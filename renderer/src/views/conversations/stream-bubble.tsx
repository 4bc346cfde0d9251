/** A message being streamed: the text so far, growing chunk by chunk, until the stored message replaces it. */
import { memo } from 'react';
import type { LiveStream } from '../../store/live-state.js';
import { SenderName } from './sender-name.js';

export const StreamBubble = memo(function StreamBubble({ stream }: { stream: LiveStream }) {
  return (
    <div className="message message-streaming" data-testid="stream" data-stream-id={stream.stream_id} data-sender={stream.sender}>
      <div className="message-head">
        <SenderName name={stream.sender} />
        {stream.message_type === 'message' ? null : <span className="chip chip-info">{stream.message_type}</span>}
        <span className="typing" role="status" aria-label={`${stream.sender} is writing`}>
          <span />
          <span />
          <span />
        </span>
      </div>
      {stream.text === '' ? null : <div className="message-content">{stream.text}</div>}
    </div>
  );
});
