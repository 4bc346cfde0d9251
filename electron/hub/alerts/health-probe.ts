/** Reads the hub's delivery health for the periodic alert check: offline queue depths and tasks nobody has been offered. */
import type { Db } from '../store/database.js';
import type { HealthSnapshot } from './alert-rules.js';

export type HealthProbe = (now: number, waitedMs: number) => HealthSnapshot;

/** @param capacity `offlineQueueCapacity`, a queue's 100 %. The probe's `waitedMs` is the task wait setting. */
export function createHealthProbe(db: Db, capacity: number): HealthProbe {
  const depths = db.prepare<[], { agent: string; depth: number }>('SELECT agent, count(*) AS depth FROM inbox GROUP BY agent');
  // Due and not held by anyone since at least the cutoff: the dispatcher had every chance to offer them.
  const waiting = db.prepare<[number], { target: string; count: number; oldest: number }>(
    `SELECT to_target AS target, count(*) AS count, min(run_at) AS oldest FROM tasks
     WHERE state = 'submitted' AND assigned_to IS NULL AND run_at <= ? GROUP BY to_target`,
  );
  return (now, waitedMs) => ({ queues: depths.all(), capacity, waiting: waiting.all(now - waitedMs) });
}
