/** Reading messages for MCP tools and resources: a page of one conversation, and waiting for the next ones. */
import type { SwitchboardClient } from '../../shared/client/index.js';
import type { StoredMessage } from '../../shared/index.js';
import type { McpContext } from './tool-kit.js';
import { wakeableWait } from './wakeable-wait.js';

export interface MessagePage {
  messages: StoredMessage[];
  /** Pass as `after_seq` next time to get only newer messages. */
  next_after_seq: number;
  has_more: boolean;
}

/** Messages after `afterSeq`, oldest first; without it the newest `limit`. */
export async function readMessages(client: SwitchboardClient, conversation: string, afterSeq: number | undefined, limit: number): Promise<MessagePage> {
  const reply = await client.request({ type: 'history', conversation_id: conversation, limit, ...(afterSeq === undefined ? {} : { after: afterSeq }) });
  const messages = reply['messages'] as StoredMessage[];
  return { messages, next_after_seq: messages.at(-1)?.seq ?? afterSeq ?? 0, has_more: reply['has_more'] === true };
}

/** Stored messages after `afterSeq` in one conversation, or in every conversation with newer messages. */
async function storedAfter(client: SwitchboardClient, conversation: string | undefined, afterSeq: number, limit: number): Promise<StoredMessage[]> {
  if (conversation !== undefined) return (await readMessages(client, conversation, afterSeq, limit)).messages;
  const listed = (await client.request({ type: 'list_conversations' }))['conversations'] as { id: string; last_seq: number }[];
  const newer = listed.filter((c) => c.last_seq > afterSeq);
  const pages = await Promise.all(newer.map((c) => readMessages(client, c.id, afterSeq, limit)));
  return pages.flatMap((page) => page.messages);
}

export interface WaitResult {
  messages: StoredMessage[];
  /** Pass as `after_seq` to the next wait: it starts after what this one returned (or saw go by). */
  next_after_seq: number;
  timed_out: boolean;
}

export interface WaitQuery {
  conversation: string | undefined;
  afterSeq: number | undefined;
  limit: number;
  waitMs: number;
}

/**
 * Messages from other agents after the cursor: those already stored at once, else the first that arrive
 * (with any that came in the same moment), else none when the time is up. Live ones are collected from
 * before the stored ones are read, so nothing slips between the two.
 */
export async function waitForMessages(ctx: McpContext, query: WaitQuery, signal: AbortSignal): Promise<WaitResult> {
  const wanted = (m: StoredMessage): boolean =>
    m.sender !== ctx.agent && (query.conversation === undefined || m.conversation_id === query.conversation) && m.seq > (query.afterSeq ?? 0);
  const found = new Map<number, StoredMessage>();
  const wait = wakeableWait(query.waitMs, signal);
  const stop = ctx.feed.listen((message) => {
    if (!wanted(message)) return;
    found.set(message.seq, message);
    wait.wake();
  });
  try {
    if (query.afterSeq !== undefined) {
      for (const message of await storedAfter(ctx.client, query.conversation, query.afterSeq, query.limit))
        if (wanted(message)) found.set(message.seq, message);
    }
    if (found.size === 0) {
      await wait.done;
      // Messages stored together arrive in one burst: hand them back together.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    stop();
    wait.wake();
  }
  const messages = [...found.values()].sort((a, b) => a.seq - b.seq).slice(0, query.limit);
  const next = messages.at(-1)?.seq ?? Math.max(query.afterSeq ?? 0, ctx.feed.lastSeq);
  return { messages, next_after_seq: next, timed_out: messages.length === 0 };
}
