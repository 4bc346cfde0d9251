/**
 * One live subscription per MCP session to every conversation its agent may read, shared by
 * wait_for_messages and the resource notifications, so waits never change what the connection subscribes to.
 */
import type { SwitchboardClient } from '../../shared/client/index.js';
import type { StoredMessage } from '../../shared/index.js';

/** `first`: the first message this session saw in a conversation it did not know. */
export type FeedListener = (message: StoredMessage, first: boolean) => void;

export interface MessageFeed {
  /** The highest seq the session knows of, so an empty wait can still hand back a cursor. */
  readonly lastSeq: number;
  listen(listener: FeedListener): () => void;
}

interface ConversationSummary {
  id: string;
  last_seq: number;
}

export async function openMessageFeed(client: SwitchboardClient): Promise<MessageFeed> {
  const listeners = new Set<FeedListener>();
  const known = new Set<string>();
  let lastSeq = 0;
  client.subscribe('*', (message) => {
    lastSeq = Math.max(lastSeq, message.seq);
    const first = !known.has(message.conversation_id);
    known.add(message.conversation_id);
    for (const listener of listeners) listener(message, first);
  });
  // Answered after the subscribe frame, so from here on the subscription is in place at the hub.
  const reply = await client.request({ type: 'list_conversations' });
  for (const conversation of reply['conversations'] as ConversationSummary[]) {
    known.add(conversation.id);
    lastSeq = Math.max(lastSeq, conversation.last_seq);
  }
  return {
    get lastSeq() {
      return lastSeq;
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
