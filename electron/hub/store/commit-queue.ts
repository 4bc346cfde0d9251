/**
 * Group commit: every write that arrives in one turn of the event loop goes into one transaction,
 * and only after that transaction commits are the writers told (acks, fan-out). This is what makes a
 * durable hub fast: one commit per batch instead of one per message.
 */
import { performance } from 'node:perf_hooks';
import { SwitchboardError } from '../../../shared/index.js';
import type { DatabaseHealth } from '../health/database-health.js';
import type { Db } from './database.js';
import type { Logger } from '../../common/logger.js';

export interface Write<T> {
  /** Runs inside the batch's transaction; throwing rolls back this write only. */
  apply(): T;
  /** Runs after the commit with the value `apply` returned. */
  committed(value: T): void;
  /** Runs when the write could not be stored; nothing was acknowledged. */
  failed(error: unknown): void;
}

export interface CommitStats {
  batches: number;
  writes: number;
  largestBatch: number;
}

/** Told of each batch after it was written: its writes, and how long its transaction took, in seconds. */
export type BatchObserver = (writes: number, seconds: number) => void;

export interface CommitQueue {
  enqueue<T>(write: Write<T>): void;
  /** Commits whatever is queued now (used on shutdown). */
  flush(): void;
  readonly stats: CommitStats;
  /** Adds an observer of batches (the Prometheus histograms); returns its removal. */
  onBatch(observer: BatchObserver): () => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * The error a writer reports when its write was not stored: SB_ERR_READ_ONLY, SB_ERR_STORAGE and other
 * SwitchboardErrors as they are, anything else as SB_ERR_STORAGE saying `what` was not stored.
 */
export function notStored(error: unknown, what: string): SwitchboardError {
  return error instanceof SwitchboardError ? error : new SwitchboardError('SB_ERR_STORAGE', `${what} was not stored: ${String(error)}`);
}

/**
 * @param onRollback called after a batch rolled back, so in-memory caches filled during it can reload.
 * @param onCommitted called after each batch was written (the WAL checkpointer listens).
 * @param health told of each failed and each good batch; while the database is damaged, every write is
 *   refused with SB_ERR_READ_ONLY before it runs.
 */
export function createCommitQueue(
  db: Db,
  logger: Logger,
  onRollback: () => void = () => {},
  onCommitted: () => void = () => {},
  health?: DatabaseHealth,
): CommitQueue {
  let pending: Write<unknown>[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  const stats: CommitStats = { batches: 0, writes: 0, largestBatch: 0 };
  const observers = new Set<BatchObserver>();

  const runBatch = db.transaction((batch: Write<unknown>[]): Outcome[] => batch.map((write) => ({ ok: true, value: write.apply() })));
  const runOne = db.transaction((write: Write<unknown>): unknown => write.apply());

  /** Tells a write how it went; a callback that throws never keeps the others from being told. */
  const report = (write: Write<unknown>, outcome: Outcome): void => {
    try {
      if (outcome.ok) write.committed(outcome.value);
      else write.failed(outcome.error);
    } catch (error) {
      logger.error('a commit callback threw', { error: String(error) });
    }
  };

  // When a batch fails, each write is retried alone so one bad write never takes its batch-mates down.
  const runEachAlone = (batch: Write<unknown>[]): Outcome[] =>
    batch.map((write) => {
      try {
        return { ok: true, value: runOne.immediate(write) };
      } catch (error) {
        onRollback();
        return { ok: false, error };
      }
    });

  const flush = (): void => {
    scheduled = undefined;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    if (health?.readOnly === true) {
      const refused: Outcome = { ok: false, error: health.refusal() };
      for (const write of batch) report(write, refused);
      return;
    }
    let outcomes: Outcome[];
    const started = performance.now();
    try {
      // IMMEDIATE: take the write lock up front (waiting for the checkpoint worker if it holds it), so a
      // write that follows a read in the batch is never refused with SQLITE_BUSY.
      outcomes = runBatch.immediate(batch);
    } catch (error) {
      onRollback();
      logger.warn('a batch failed to commit; retrying its writes one by one', { writes: batch.length, error: String(error) });
      outcomes = runEachAlone(batch);
    }
    const seconds = (performance.now() - started) / 1000;
    if (health !== undefined) {
      let stored = false;
      for (const outcome of outcomes) {
        if (outcome.ok) stored = true;
        else outcome.error = health.failed(outcome.error);
      }
      if (stored) health.succeeded();
    }
    onCommitted();
    stats.batches++;
    stats.writes += batch.length;
    if (batch.length > stats.largestBatch) stats.largestBatch = batch.length;
    for (const observer of observers) observer(batch.length, seconds);
    for (let i = 0; i < batch.length; i++) report(batch[i] as Write<unknown>, outcomes[i] as Outcome);
  };

  return {
    enqueue<T>(write: Write<T>): void {
      pending.push(write as Write<unknown>);
      scheduled ??= setImmediate(flush);
    },
    flush(): void {
      if (scheduled !== undefined) clearImmediate(scheduled);
      flush();
    },
    stats,
    onBatch(observer) {
      observers.add(observer);
      return () => observers.delete(observer);
    },
  };
}
