/**
 * The search index follows the messages after their commit, in batches, instead of on the path to the ack.
 *
 * Indexing each message in its own transaction cost the ack an FTS5 segment per commit (about a fifth of the
 * hub's CPU at 1,000 msgs/s). Now a stored message only schedules a run: shortly after, one write in the
 * commit queue indexes every message above the mark (migration 11) and moves the mark, in one transaction,
 * so a crash in between leaves the messages to the next run. The same runs count messages per minute for the
 * rate charts. A search or a rates query first catches up, so it always sees every acknowledged message.
 */
import type { CommitQueue } from './commit-queue.js';
import type { Db } from './database.js';
import type { Logger } from '../../common/logger.js';
import { MINUTE_MS } from '../metrics/minute-summary.js';

/** How soon after a message is stored it is indexed; its messages wait together. */
const INDEX_DELAY_MS = 200;
/** Messages indexed by one write, so a backlog never holds the event loop for long; more runs follow at once. */
export const INDEX_BATCH = 2_000;

export interface SearchIndex {
  /** Call for each stored message: a run follows within INDEX_DELAY_MS. */
  stored(): void;
  /** Indexes and counts, now and synchronously, every message not yet done (before a search or a rates query). */
  catchUp(): void;
  /** Stops scheduling runs (at hub stop); what is left is indexed after the next start. */
  close(): void;
}

/**
 * A function that indexes up to `limit` messages above the mark for search, adds them to the messages per
 * minute (the rate charts), and moves the mark, returning how many; it must run inside a transaction.
 */
export function pendingIndexer(db: Db): (limit: number) => number {
  const mark = db.prepare<[], { seq: number }>('SELECT seq FROM search_mark');
  const lastOfBatch = db.prepare<[number, number], { seq: number | null }>(
    'SELECT max(seq) AS seq FROM (SELECT seq FROM messages WHERE seq > ? ORDER BY seq LIMIT ?)',
  );
  const index = db.prepare<[number, number]>(
    'INSERT INTO messages_fts (rowid, content, payload) SELECT seq, content, payload FROM messages WHERE seq > ? AND seq <= ? ORDER BY seq',
  );
  const count = db.prepare<[number, number]>(
    `INSERT INTO message_minutes (minute, n)
     SELECT created_at / ${MINUTE_MS} * ${MINUTE_MS} AS minute, count(*) FROM messages WHERE seq > ? AND seq <= ? GROUP BY minute
     ON CONFLICT (minute) DO UPDATE SET n = n + excluded.n`,
  );
  const moveMark = db.prepare<[number]>('UPDATE search_mark SET seq = ?');
  return (limit) => {
    const from = mark.get()?.seq ?? 0;
    const to = lastOfBatch.get(from, limit)?.seq ?? null;
    if (to === null) return 0;
    const { changes } = index.run(from, to);
    count.run(from, to);
    moveMark.run(to);
    return changes;
  };
}

export function createSearchIndex(deps: { db: Db; commits: CommitQueue; logger: Logger; writable: () => boolean }): SearchIndex {
  const { db, commits, logger } = deps;
  const indexPending = pendingIndexer(db);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const schedule = (delayMs: number): void => {
    if (timer !== undefined || closed) return;
    timer = setTimeout(run, delayMs);
    timer.unref();
  };

  function run(): void {
    timer = undefined;
    if (!deps.writable()) return;
    commits.enqueue({
      apply: () => indexPending(INDEX_BATCH),
      // A full batch means more are waiting: the next run follows after the event loop's turn.
      committed: (indexed) => {
        if (indexed === INDEX_BATCH) schedule(0);
      },
      failed: (error) => {
        logger.warn('messages could not be indexed for search; trying again', { error: String(error) });
        schedule(INDEX_DELAY_MS);
      },
    });
  }

  const catchUpAll = db.transaction(() => {
    while (indexPending(INDEX_BATCH) === INDEX_BATCH);
  });

  // Messages a crash left unindexed are picked up by the first run.
  schedule(0);
  return {
    stored: () => schedule(INDEX_DELAY_MS),
    catchUp() {
      if (!deps.writable()) return;
      try {
        catchUpAll();
      } catch (error) {
        // The search still answers, from what was indexed; the scheduled run tries again.
        logger.warn('messages could not be indexed before a search', { error: String(error) });
      }
    },
    close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
