/**
 * The offline queue's tables: which stored direct messages wait for which agent (`inbox`), and what a
 * full queue dropped (`inbox_gaps`). Queue depths are cached in memory so the send path counts nothing.
 */
import type { StoredMessage } from '../../../shared/protocol/index.js';
import type { Db } from './database.js';
import { rowToMessage, type MessageRow } from './message-store.js';

/** What an agent's full queue dropped: how many entries, and the seq range they spanned. */
export interface GapRecord {
  dropped: number;
  from_seq: number;
  to_seq: number;
}

export type InboxStore = ReturnType<typeof createInboxStore>;

export function createInboxStore(db: Db) {
  const insert = db.prepare<[string, number]>('INSERT OR IGNORE INTO inbox (agent, seq) VALUES (?, ?)');
  const depth = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM inbox WHERE agent = ?');
  const oldest = db.prepare<[string, number], { seq: number }>('SELECT seq FROM inbox WHERE agent = ? ORDER BY seq LIMIT +?');
  const deleteUpTo = db.prepare<[string, number]>('DELETE FROM inbox WHERE agent = ? AND seq <= ?');
  const widenGap = db.prepare<[string, number, number, number]>(
    `INSERT INTO inbox_gaps (agent, dropped, from_seq, to_seq) VALUES (?, ?, ?, ?)
     ON CONFLICT (agent) DO UPDATE SET
       dropped = inbox_gaps.dropped + excluded.dropped,
       from_seq = min(inbox_gaps.from_seq, excluded.from_seq),
       to_seq = max(inbox_gaps.to_seq, excluded.to_seq)`,
  );
  const gap = db.prepare<[string], GapRecord>('SELECT dropped, from_seq, to_seq FROM inbox_gaps WHERE agent = ?');
  const clearGap = db.prepare<[string, number, number, number]>('DELETE FROM inbox_gaps WHERE agent = ? AND dropped = ? AND from_seq = ? AND to_seq = ?');
  const page = db.prepare<[string, number, number], MessageRow>(
    'SELECT m.* FROM inbox i JOIN messages m ON m.seq = i.seq WHERE i.agent = ? AND i.seq > ? ORDER BY i.seq LIMIT +?',
  );
  const total = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM inbox');
  const depths = db.prepare<[], { agent: string; n: number }>('SELECT agent, count(*) AS n FROM inbox GROUP BY agent');

  /** Entries per agent, filled on first use; cleared when a transaction rolls back. */
  const cache = new Map<string, number>();
  const depthOf = (agent: string): number => {
    let n = cache.get(agent);
    if (n === undefined) cache.set(agent, (n = depth.get(agent)?.n ?? 0));
    return n;
  };

  return {
    /** Entries waiting for an agent. */
    depth: depthOf,
    /** Queues a stored message for an agent; runs inside the message's transaction. Returns the new depth. */
    add(agent: string, seq: number): number {
      const n = depthOf(agent) + insert.run(agent, seq).changes;
      cache.set(agent, n);
      return n;
    },
    /** Drops an agent's `count` oldest entries and widens its gap record; returns the seq range dropped. */
    dropOldest(agent: string, count: number): GapRecord | undefined {
      const rows = oldest.all(agent, count);
      const first = rows[0];
      const last = rows[rows.length - 1];
      if (first === undefined || last === undefined) return undefined;
      const removed = deleteUpTo.run(agent, last.seq).changes;
      cache.set(agent, depthOf(agent) - removed);
      widenGap.run(agent, removed, first.seq, last.seq);
      return { dropped: removed, from_seq: first.seq, to_seq: last.seq };
    },
    /** Deletes an agent's entries up to and including `upTo`; returns how many. */
    acknowledge(agent: string, upTo: number): number {
      const removed = deleteUpTo.run(agent, upTo).changes;
      if (removed > 0) cache.set(agent, depthOf(agent) - removed);
      return removed;
    },
    gap(agent: string): GapRecord | undefined {
      return gap.get(agent);
    },
    /** Clears an agent's gap record if it is still the one given (it did not widen since); true if cleared. */
    clearGap(agent: string, seen: GapRecord): boolean {
      return clearGap.run(agent, seen.dropped, seen.from_seq, seen.to_seq).changes > 0;
    },
    /** The queued messages of an agent after `since`, oldest first. */
    page(agent: string, since: number, limit: number): StoredMessage[] {
      return page.all(agent, since, limit).map(rowToMessage);
    },
    total(): number {
      return total.get()?.n ?? 0;
    },
    /** Depth of every agent that has entries. */
    depths(): Map<string, number> {
      return new Map(depths.all().map((row) => [row.agent, row.n]));
    },
    /** Forgets cached depths after a rolled-back transaction; they are counted again when next needed. */
    reload(): void {
      cache.clear();
    },
  };
}
