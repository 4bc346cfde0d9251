/** Streaming a message that grows as an LLM writes it: `write(chunk)` as pieces arrive, `end()` stores it once. */
import type { StoredMessage } from '../index.js';
import type { SwitchboardClient } from './client.js';

export interface MessageStream {
  readonly streamId: string;
  write(chunk: string): void;
  /** Stores the whole message (the chunks joined, unless `fullContent` is given) and resolves with it. */
  end(fullContent?: string): Promise<StoredMessage>;
}

export async function openStream(
  client: SwitchboardClient,
  address: { conversation_id: string } | { to: string },
  options: { type?: string } = {},
): Promise<MessageStream> {
  const started = await client.request({ type: 'stream_start', ...address, ...(options.type === undefined ? {} : { message_type: options.type }) });
  const streamId = started['stream_id'] as string;
  let transport: ((frame: Record<string, unknown> & { type: string }) => void) | undefined = (frame) => void client.request(frame).catch(() => {});
  return {
    streamId,
    write(chunk) {
      if (transport === undefined) throw new Error('the stream has ended');
      transport({ type: 'stream_chunk', stream_id: streamId, content: chunk });
    },
    async end(fullContent) {
      transport = undefined;
      const ack = await client.request({ type: 'stream_end', stream_id: streamId, ...(fullContent === undefined ? {} : { full_content: fullContent }) });
      return ack['message'] as StoredMessage;
    },
  };
}
