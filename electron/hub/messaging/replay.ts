/**
 * Replay for a new subscription: stored messages after the cursor go out page by page, respecting the
 * client's read speed; the subscription turns live in the same turn as the last (short) page is read,
 * and live fan-out skips it until then, so there is no gap and no duplicate.
 */
import { MAX_PAGE } from '../../../shared/index.js';
import type { Connection } from '../ws/connection.js';
import { newMessageFrame } from './messaging.js';
import type { RequestId } from '../ws/router.js';
import type { HubServices } from '../services.js';
import { mayAccess } from '../store/conversation-store.js';
import type { Subscription } from './subscription.js';

/** Wait before the next page while this much is still unread by the client. */
const PAUSE_ABOVE_BYTES = 1024 * 1024;
const PAUSE_MS = 5;

/** What a replay reads and subscribes through. */
export type ReplayServices = Pick<HubServices, 'subscriptions' | 'messages' | 'conversations'>;

export function replay(s: ReplayServices, conn: Connection, keys: string[], since: number | undefined, re: RequestId): void {
  const subs: Subscription[] = keys.map((key) => {
    s.subscriptions.remove(conn, key);
    return s.subscriptions.add(conn, key, since ?? 0, since === undefined);
  });
  if (since === undefined) return;
  const selector = keys.includes('*') ? '*' : keys;
  let cursor = since;
  let replayed = 0;

  const stillSubscribed = (): boolean => subs.every((sub) => conn.subscriptions.get(sub.key) === sub);

  const page = (): void => {
    if (!conn.isOpen || !stillSubscribed()) return;
    if (conn.socket.bufferedAmount > PAUSE_ABOVE_BYTES) {
      setTimeout(page, PAUSE_MS);
      return;
    }
    const identity = conn.identity;
    const messages = s.messages.after(selector, cursor, MAX_PAGE);
    for (const message of messages) {
      cursor = message.seq;
      if (identity === undefined || !mayAccess(s.conversations.meta(message.conversation_id), identity.agent, identity.admin)) continue;
      conn.send(newMessageFrame(JSON.stringify(message)));
      replayed++;
    }
    for (const sub of subs) sub.cursor = cursor;
    if (messages.length === MAX_PAGE) {
      setImmediate(page);
      return;
    }
    for (const sub of subs) sub.live = true;
    const done: Record<string, unknown> = { type: 'caught_up', conversations: selector, seq: cursor, replayed };
    if (re !== undefined) done['re'] = re;
    conn.sendFrame(done);
  };
  page();
}
