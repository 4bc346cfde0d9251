/**
 * Replay for a new subscription: stored messages after the cursor go out page by page, respecting the
 * client's read speed; the subscription turns live in the same turn as the last (short) page is read,
 * and live fan-out skips it until then, so there is no gap and no duplicate.
 */
import type { Connection } from '../ws/connection.js';
import { newMessageFrame } from './messaging.js';
import { sendPaced } from './paced-pages.js';
import type { RequestId } from '../ws/router.js';
import type { HubServices } from '../services.js';
import { mayAccess } from '../store/conversation-store.js';
import type { Subscription } from './subscription.js';

/** What a replay reads and subscribes through. */
export type ReplayServices = Pick<HubServices, 'subscriptions' | 'messages' | 'conversations' | 'streams'>;

export function replay(s: ReplayServices, conn: Connection, keys: string[], since: number | undefined, re: RequestId): void {
  const subs: Subscription[] = keys.map((key) => {
    s.subscriptions.remove(conn, key);
    return s.subscriptions.add(conn, key, since ?? 0, since === undefined);
  });
  if (since === undefined) {
    s.streams.pickUp(conn, keys);
    return;
  }
  const selector = keys.includes('*') ? '*' : keys;
  let cursor = since;
  let replayed = 0;

  sendPaced(conn, {
    // A later subscribe or unsubscribe for these keys replaced the subscriptions: this replay ends.
    wanted: () => subs.every((sub) => conn.subscriptions.get(sub.key) === sub),
    next(limit) {
      const identity = conn.identity;
      const messages = s.messages.after(selector, cursor, limit);
      for (const message of messages) {
        cursor = message.seq;
        if (identity === undefined || !mayAccess(s.conversations.meta(message.conversation_id), identity.agent, identity.admin)) continue;
        conn.send(newMessageFrame(JSON.stringify(message)));
        replayed++;
      }
      for (const sub of subs) sub.cursor = cursor;
      return messages.length;
    },
    done() {
      for (const sub of subs) sub.live = true;
      s.streams.pickUp(conn, keys);
      const caughtUp: Record<string, unknown> = { type: 'caught_up', conversations: selector, seq: cursor, replayed };
      if (re !== undefined) caughtUp['re'] = re;
      conn.sendFrame(caughtUp);
    },
  });
}
