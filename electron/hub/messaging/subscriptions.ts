/**
 * Who receives which message. A subscription replays stored messages after its cursor page by page,
 * and only then turns live; replay pages and live fan-out never interleave within a turn of the event
 * loop, so a subscriber sees every message once, in order, with no gap.
 */
import type { StoredMessage } from '../../../shared/protocol/index.js';
import type { Connection } from '../ws/connection.js';
import type { Subscription } from './subscription.js';
import type { ConversationMeta } from '../store/conversation-store.js';
import { mayAccess } from '../store/conversation-store.js';

export type SubscriptionIndex = ReturnType<typeof createSubscriptionIndex>;

export function createSubscriptionIndex() {
  const byConversation = new Map<string, Set<Connection>>();
  const wildcard = new Set<Connection>();

  const holders = (key: string): Set<Connection> => {
    if (key === '*') return wildcard;
    let set = byConversation.get(key);
    if (set === undefined) byConversation.set(key, (set = new Set()));
    return set;
  };

  return {
    add(conn: Connection, key: string, cursor: number, live: boolean): Subscription {
      const subscription: Subscription = { key, cursor, live };
      conn.subscriptions.set(key, subscription);
      holders(key).add(conn);
      return subscription;
    },
    remove(conn: Connection, key: string): boolean {
      if (!conn.subscriptions.delete(key)) return false;
      const set = key === '*' ? wildcard : byConversation.get(key);
      set?.delete(conn);
      if (set !== undefined && set !== wildcard && set.size === 0) byConversation.delete(key);
      return true;
    },
    removeAll(conn: Connection): void {
      for (const key of [...conn.subscriptions.keys()]) this.remove(conn, key);
    },
    /**
     * The connections a new message goes to: live subscriptions whose cursor is behind it, plus, for a
     * direct conversation, every connection of its members that has not subscribed to it.
     */
    recipients(message: StoredMessage, meta: ConversationMeta | undefined, memberConnections: (agent: string) => Iterable<Connection>): Set<Connection> {
      const out = new Set<Connection>();
      const consider = (conn: Connection, key: string): void => {
        const sub = conn.subscriptions.get(key);
        if (sub === undefined || !sub.live || message.seq <= sub.cursor) return;
        sub.cursor = message.seq;
        const identity = conn.identity;
        if (identity !== undefined && mayAccess(meta, identity.agent, identity.admin)) out.add(conn);
      };
      const direct = byConversation.get(message.conversation_id);
      if (direct !== undefined) for (const conn of direct) consider(conn, message.conversation_id);
      for (const conn of wildcard) consider(conn, '*');
      if (meta?.kind === 'direct' && meta.members !== null) {
        for (const member of meta.members) {
          for (const conn of memberConnections(member)) {
            if (!conn.subscriptions.has(message.conversation_id) && !conn.subscriptions.has('*')) out.add(conn);
          }
        }
      }
      return out;
    },
    /** Everyone watching a conversation live right now, for frames that are relayed but not stored. */
    audience(conversationId: string, meta: ConversationMeta | undefined, memberConnections: (agent: string) => Iterable<Connection>): Set<Connection> {
      const out = new Set<Connection>();
      const consider = (conn: Connection, key: string): void => {
        const identity = conn.identity;
        if (conn.subscriptions.get(key)?.live === true && identity !== undefined && mayAccess(meta, identity.agent, identity.admin)) out.add(conn);
      };
      for (const conn of byConversation.get(conversationId) ?? []) consider(conn, conversationId);
      for (const conn of wildcard) consider(conn, '*');
      if (meta?.kind === 'direct' && meta.members !== null) {
        for (const member of meta.members) for (const conn of memberConnections(member)) out.add(conn);
      }
      return out;
    },
    count(): number {
      let n = wildcard.size;
      for (const set of byConversation.values()) n += set.size;
      return n;
    },
  };
}
