/** The durable queue of task callbacks: written with the task's state change, read by the callback sender. */
import type { TaskCallbackStatus } from '../../../shared/index.js';
import type { Db } from './database.js';

export type CallbackState = TaskCallbackStatus['state'];

export interface CallbackRow {
  id: number;
  task_id: string;
  url: string;
  /** The JSON text that is POSTed; may hold task results, so it is never logged. */
  body: string;
  /** Attempts made so far. */
  attempts: number;
  /** While pending, when the next attempt is due (epoch ms); once settled, when it settled. */
  next_at: number;
  state: CallbackState;
  last_error: string | null;
  created_at: number;
}

export type CallbackStore = ReturnType<typeof createCallbackStore>;

export type CallbackStatus = TaskCallbackStatus;

export function callbackStatus(row: CallbackRow): CallbackStatus {
  const at = new Date(row.next_at).toISOString();
  const pending = row.state === 'pending';
  return { state: row.state, attempts: row.attempts, last_error: row.last_error, next_attempt_at: pending ? at : null, finished_at: pending ? null : at };
}

export function createCallbackStore(db: Db) {
  const insert = db.prepare<[string, string, string, number, number]>('INSERT INTO callbacks (task_id, url, body, next_at, created_at) VALUES (?, ?, ?, ?, ?)');
  // Rows being sent stay 'pending' in the table (so a crash mid-request resends them); the sender
  // passes their ids, as a JSON array, to leave them out.
  const due = db.prepare<[number, string, number], CallbackRow>(
    `SELECT * FROM callbacks WHERE state = 'pending' AND next_at <= ? AND id NOT IN (SELECT value FROM json_each(?))
     ORDER BY next_at, id LIMIT +?`,
  );
  const nextDue = db
    .prepare<[string], number>(`SELECT next_at FROM callbacks WHERE state = 'pending' AND id NOT IN (SELECT value FROM json_each(?)) ORDER BY next_at LIMIT 1`)
    .pluck();
  const retry = db.prepare<[number, number, string, number]>('UPDATE callbacks SET attempts = ?, next_at = ?, last_error = ? WHERE id = ?');
  const finish = db.prepare<[CallbackState, number, string | null, number, number]>(
    'UPDATE callbacks SET state = ?, attempts = ?, last_error = ?, next_at = ? WHERE id = ?',
  );
  const forTask = db.prepare<[string], CallbackRow>('SELECT * FROM callbacks WHERE task_id = ? ORDER BY id');

  return {
    /** Queues a callback due at `now`; returns its id. */
    insert(taskId: string, url: string, body: string, now: number): number {
      return Number(insert.run(taskId, url, body, now, now).lastInsertRowid);
    },
    /** Pending callbacks due at `now`, oldest due first, leaving out `exclude` (those in flight). */
    due(now: number, exclude: readonly number[], limit: number): CallbackRow[] {
      return due.all(now, JSON.stringify(exclude), limit);
    },
    /** The earliest `next_at` of the pending callbacks not in `exclude`, or undefined when none wait. */
    nextDue(exclude: readonly number[]): number | undefined {
      return nextDue.get(JSON.stringify(exclude));
    },
    /** Records a failed attempt and when to try again. */
    retry(id: number, attempts: number, nextAt: number, error: string): void {
      retry.run(attempts, nextAt, error, id);
    },
    /** Records the final outcome at `now`: delivered, failed after every retry, or refused. */
    finish(id: number, state: Exclude<CallbackState, 'pending'>, attempts: number, error: string | null, now: number): void {
      finish.run(state, attempts, error, now, id);
    },
    /** Every callback of a task, oldest first. */
    forTask(taskId: string): CallbackRow[] {
      return forTask.all(taskId);
    },
  };
}
