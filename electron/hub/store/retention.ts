/**
 * The retention job: raw interactions and audit events older than `retentionDays`, and interaction
 * rollups older than `rollupRetentionDays`, are deleted at start and then every hour. Messages and tasks
 * are kept. Rows go in batches, each its own commit, with the event loop free between them, so a large
 * backlog never holds the hub up for long.
 */
import type { CommitQueue } from './commit-queue.js';
import type { HubConfig } from '../config.js';
import type { Logger } from '../../common/logger.js';
import { MINUTE_MS, minuteOf } from '../metrics/minute-summary.js';
import type { Clock } from '../../common/clock.js';
import type { Db } from './database.js';
import type { EventStore } from './event-store.js';

const DAY_MS = 86_400_000;
/** Time between two runs. */
const RUN_EVERY_MS = 3_600_000;
/** Rows deleted by one statement (one commit). */
export const RETENTION_BATCH_ROWS = 5_000;

/** The first minute whose raw interactions are kept: cut on a minute boundary, so a minute is kept whole or not at all. */
export function firstKeptMinute(now: number, days: number): number {
  return minuteOf(now - days * DAY_MS);
}

/** Rows deleted by one run. */
export interface RetentionResult {
  interactions: number;
  events: number;
  rollups: number;
}

export type Retention = ReturnType<typeof createRetention>;

export function createRetention(deps: {
  db: Db;
  commits: CommitQueue;
  events: EventStore;
  config: Pick<HubConfig, 'retentionDays' | 'rollupRetentionDays'>;
  clock: Clock;
  logger: Logger;
}) {
  // The newest row of a table is never deleted, so SQLite never hands its id out again (ids are e_<n> and
  // the rollups' progress mark).
  const statements = {
    interactions: deps.db.prepare<[number, number]>(
      'DELETE FROM interactions WHERE id IN (SELECT id FROM interactions WHERE ts < ? AND id < (SELECT max(id) FROM interactions) LIMIT +?)',
    ),
    events: deps.db.prepare<[number, number]>(
      'DELETE FROM events WHERE id IN (SELECT id FROM events WHERE ts < ? AND id < (SELECT max(id) FROM events) LIMIT +?)',
    ),
    rollups: deps.db.prepare<[number, number]>(
      'DELETE FROM interaction_rollups WHERE (agent, minute) IN (SELECT agent, minute FROM interaction_rollups WHERE minute < ? LIMIT +?)',
    ),
  };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<RetentionResult> | undefined;
  let closed = false;

  /** One batch as one write of the group commit; resolves with the rows it deleted. */
  const deleteBatch = (statement: (typeof statements)['events'], cutoff: number): Promise<number> =>
    new Promise((resolve, reject) => {
      deps.commits.enqueue<number>({ apply: () => statement.run(cutoff, RETENTION_BATCH_ROWS).changes, committed: resolve, failed: reject });
    });

  const sweep = async (statement: (typeof statements)['events'], cutoff: number): Promise<number> => {
    let total = 0;
    while (!closed) {
      const deleted = await deleteBatch(statement, cutoff);
      total += deleted;
      if (deleted < RETENTION_BATCH_ROWS) break;
    }
    return total;
  };

  const runOnce = async (): Promise<RetentionResult> => {
    const now = deps.clock.now();
    const rawCutoff = firstKeptMinute(now, deps.config.retentionDays) * MINUTE_MS;
    const result: RetentionResult = {
      interactions: await sweep(statements.interactions, rawCutoff),
      events: await sweep(statements.events, rawCutoff),
      rollups: await sweep(statements.rollups, firstKeptMinute(now, deps.config.rollupRetentionDays)),
    };
    if (result.interactions + result.events + result.rollups > 0 && !closed) {
      const detail = { ...result, retention_days: deps.config.retentionDays, rollup_retention_days: deps.config.rollupRetentionDays };
      deps.events.record('retention', deps.clock.now(), { detail });
      deps.logger.info('retention: deleted old rows', detail);
    }
    return result;
  };

  const run = (): Promise<RetentionResult> => {
    running ??= runOnce().finally(() => (running = undefined));
    return running;
  };

  const runLogged = (): void => {
    run().catch((error: unknown) => deps.logger.error('the retention job failed', { error: String(error) }));
  };

  return {
    /** Deletes what is past retention now; a call during a run gets that run's result. */
    run,
    /** Runs now, then every hour. */
    start(): void {
      runLogged();
      timer = setInterval(runLogged, RUN_EVERY_MS);
      timer.unref();
    },
    /** Stops the timer and waits for a run in progress to finish its current batch. */
    async close(): Promise<void> {
      closed = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
