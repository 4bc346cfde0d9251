/** Helpers for message tests: the stored-message shape, publishing in bulk, and reading a conversation back over HTTP. */
import { expect } from 'vitest';
import type { StoredMessage } from '../../shared/index.js';
import { api, type Frame, type TestClient, type TestHub } from './hub.js';

/** A stored message as toEqual expects it: any id, seq and created_at, type "message", then `fields`. */
export function storedMessage(fields: Partial<StoredMessage>): Record<string, unknown> {
  return {
    id: expect.any(String),
    seq: expect.any(Number),
    message_type: 'message',
    created_at: expect.any(String),
    ...fields,
  };
}

let batch = 0;

/**
 * Sends `count` messages to a conversation without waiting between them and resolves with their acks,
 * in order, once the last one is acknowledged.
 */
export async function publish(
  client: TestClient,
  conversationId: string,
  count: number,
  content: (i: number) => string = (i) => `message ${i}`,
): Promise<Frame[]> {
  const prefix = `b${++batch}-`;
  const from = client.frames.length;
  for (let i = 0; i < count; i++) {
    client.send({ type: 'send_message', id: `${prefix}${i}`, conversation_id: conversationId, content: content(i) });
  }
  await client.next((f) => f['re'] === `${prefix}${count - 1}`, { from, timeoutMs: 15_000 });
  const replies = client.frames.slice(from).filter((f) => typeof f['re'] === 'string' && f['re'].startsWith(prefix));
  if (replies.length !== count || replies.some((f) => f.type !== 'ack')) {
    throw new Error(`expected ${count} acks, got ${replies.length}: ${JSON.stringify(replies.filter((f) => f.type !== 'ack').slice(0, 3))}`);
  }
  return replies;
}

/** The seq of an acknowledged message. */
export function ackedSeq(ack: Frame): number {
  return (ack['message'] as StoredMessage).seq;
}

/** Every stored message of a conversation, oldest first, read over HTTP a page at a time. */
export async function storedMessages(hub: TestHub, conversationId: string, token?: string): Promise<StoredMessage[]> {
  const out: StoredMessage[] = [];
  let since = 0;
  for (;;) {
    const { status, body } = await api(
      hub,
      'GET',
      `/api/conversations/${encodeURIComponent(conversationId)}/messages?since=${since}&limit=1000`,
      token === undefined ? {} : { token },
    );
    if (status !== 200) throw new Error(`reading ${conversationId} failed: ${JSON.stringify(body)}`);
    const page = body['messages'] as StoredMessage[];
    out.push(...page);
    if (page.length < 1000) return out;
    since = body['next_since'] as number;
  }
}

/** The `new_message` frames a client received for one conversation (or all), in arrival order. */
export function received(client: TestClient, conversationId?: string): Frame[] {
  return client.frames.filter((f) => f.type === 'new_message' && (conversationId === undefined || f['conversation_id'] === conversationId));
}
