/**
 * The offline queue (store and forward) for direct messages. A direct message stored while a member
 * has no caught-up connection gets an inbox entry in the same transaction; when the agent connects, it
 * receives a drop receipt (`gap`) if its full queue dropped anything, then its queued messages in seq
 * order, and the entries stay until it sends `inbox_ack`. Tasks do not use this queue: they wait in the
 * tasks table and are offered when a matching agent connects.
 *
 * No gap between queue and live delivery: a connection starts "not caught up". While none of an agent's
 * connections is caught up, its direct messages are queued and live fan-out skips its connections; the
 * drain reads the inbox page by page and marks the connection caught up in the same synchronous step as
 * the last (short) page, so each message reaches it exactly once, in order.
 */
import type { GapFrame, StoredMessage } from '../../../shared/protocol/index.js';
import type { HubConfig } from '../config.js';
import type { Connection } from '../ws/connection.js';
import type { Logger } from '../../common/logger.js';
import { sendPaced } from './paced-pages.js';
import type { Presence } from './presence.js';
import type { EventStore } from '../store/event-store.js';
import type { GapRecord, InboxStore } from '../store/inbox-store.js';

/** At most one capacity warning per agent in this period; it carries the drops since the last one. */
const WARN_EVERY_MS = 60_000;

/** What storing one direct message did to the queues: who got an entry, and what was dropped for room. */
export interface Held {
  queued: string[];
  drops?: { agent: string; gap: GapRecord }[];
}

/** The frame a queued message goes out as: `new_message` with `"queued": true`. */
export function queuedMessageFrame(json: string): string {
  return `{"type":"new_message","queued":true,${json.slice(1)}`;
}

export type OfflineQueue = ReturnType<typeof createOfflineQueue>;

export function createOfflineQueue(deps: {
  inbox: InboxStore;
  events: EventStore;
  presence: Presence;
  logger: Logger;
  config: Pick<HubConfig, 'offlineQueueCapacity'>;
  now: () => number;
}) {
  const { inbox } = deps;
  const counters = { enqueued: 0, dropped: 0 };
  const warnings = new Map<string, { at: number; pending: number }>();

  /** Whether one of the agent's connections has received its queue and now gets direct messages live. */
  const caughtUp = (agent: string): boolean => {
    for (const conn of deps.presence.connectionsOf(agent)) if (conn.inboxLive) return true;
    return false;
  };

  const warn = (agent: string, dropped: number, now: number): void => {
    let state = warnings.get(agent);
    if (state === undefined) warnings.set(agent, (state = { at: Number.NEGATIVE_INFINITY, pending: 0 }));
    state.pending += dropped;
    if (now - state.at < WARN_EVERY_MS) return;
    // `dropped`: since the last warning; `gap`: everything the agent's next receipt will report.
    deps.logger.warn('offline queue full: dropped the oldest direct messages', {
      agent,
      dropped: state.pending,
      gap: inbox.gap(agent),
      capacity: deps.config.offlineQueueCapacity,
    });
    state.at = now;
    state.pending = 0;
  };

  const sendGap = (conn: Connection, gap: GapRecord): void => {
    const frame: GapFrame = { type: 'gap', dropped: gap.dropped, from_seq: gap.from_seq, to_seq: gap.to_seq, reason: 'capacity' };
    conn.sendFrame(frame);
    conn.gapSent = gap;
  };

  return {
    counters,
    /**
     * Runs inside the transaction that stored a new direct message: queues it for each member (not the
     * sender) without a caught-up connection, dropping the oldest entries of a full queue. Undefined when
     * nobody needed it queued.
     */
    hold(message: StoredMessage, members: readonly string[], now: number): Held | undefined {
      let held: Held | undefined;
      for (const agent of members) {
        if (agent === message.sender || held?.queued.includes(agent) === true || caughtUp(agent)) continue;
        (held ??= { queued: [] }).queued.push(agent);
        const depth = inbox.add(agent, message.seq);
        const excess = depth - deps.config.offlineQueueCapacity;
        if (excess <= 0) continue;
        const gap = inbox.dropOldest(agent, excess);
        if (gap === undefined) continue;
        deps.events.record('offline_queue_drop', now, {
          actor: message.sender,
          subject: agent,
          detail: { dropped: gap.dropped, from_seq: gap.from_seq, to_seq: gap.to_seq, reason: 'capacity', capacity: deps.config.offlineQueueCapacity },
        });
        (held.drops ??= []).push({ agent, gap });
      }
      return held;
    },
    /** After the commit: counts what `hold` did and warns (rate-limited) about drops. */
    committed(held: Held): void {
      counters.enqueued += held.queued.length;
      if (held.drops === undefined) return;
      const now = deps.now();
      for (const { agent, gap } of held.drops) {
        counters.dropped += gap.dropped;
        warn(agent, gap.dropped, now);
      }
    },
    /**
     * Sends an agent's queue on a newly authenticated connection: the drop receipt first (if any), then
     * the queued messages in seq order, paced by how fast the client reads; then the connection is caught up.
     */
    drain(conn: Connection, agent: string): void {
      let cursor = 0;
      sendPaced(conn, {
        next(limit) {
          // The receipt goes out first, and again if the queue dropped more while this connection drained.
          const gap = inbox.gap(agent);
          const sent = conn.gapSent;
          if (gap !== undefined && (sent === undefined || sent.dropped !== gap.dropped || sent.to_seq !== gap.to_seq)) sendGap(conn, gap);
          const messages = inbox.page(agent, cursor, limit);
          for (const message of messages) {
            cursor = message.seq;
            conn.send(queuedMessageFrame(JSON.stringify(message)));
          }
          return messages.length;
        },
        done() {
          conn.inboxLive = true;
        },
      });
    },
    /**
     * Runs inside a transaction: deletes the agent's entries up to `upTo`, and its gap record if `gapSent`
     * (the receipt this connection got) is still current. Returns the entries left and whether the gap was cleared.
     */
    acknowledge(agent: string, upTo: number, gapSent: GapRecord | undefined): { remaining: number; gapCleared: boolean } {
      inbox.acknowledge(agent, upTo);
      const gapCleared = gapSent !== undefined && inbox.clearGap(agent, gapSent);
      return { remaining: inbox.depth(agent), gapCleared };
    },
    depth(agent: string): number {
      return inbox.depth(agent);
    },
    /** Adds `queue_depth` to agent listings. */
    withDepths<T extends { id: string }>(agents: T[]): (T & { queue_depth: number })[] {
      const depths = inbox.depths();
      return agents.map((agent) => ({ ...agent, queue_depth: depths.get(agent.id) ?? 0 }));
    },
    stats(): { queued: number; enqueued: number; dropped: number } {
      return { queued: inbox.total(), enqueued: counters.enqueued, dropped: counters.dropped };
    },
  };
}
