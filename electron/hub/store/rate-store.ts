/**
 * Messages and tasks per minute, for the dashboard's rate charts: messages from the counts the search index's
 * runs keep (migration 11), tasks by a range scan on their time index (migration 10).
 */
import type { MinuteCounts } from '../../../shared/index.js';
import { MINUTE_MS } from '../metrics/minute-summary.js';
import type { Db } from './database.js';

export type RateStore = ReturnType<typeof createRateStore>;

export function createRateStore(db: Db) {
  const messages = db.prepare<[number, number], { minute: number; n: number }>('SELECT minute, n FROM message_minutes WHERE minute >= ? AND minute < ?');
  const tasks = db.prepare<[number, number], { minute: number; n: number }>(
    `SELECT created_at / ${MINUTE_MS} * ${MINUTE_MS} AS minute, count(*) AS n FROM tasks WHERE created_at >= ? AND created_at < ? GROUP BY minute`,
  );

  return {
    /** One entry per minute from `from` (a minute start) until `until`, oldest first, minutes without any included. */
    perMinute(from: number, until: number): MinuteCounts[] {
      const counts = new Map<number, MinuteCounts>();
      for (let minute = from; minute < until; minute += MINUTE_MS) counts.set(minute, { minute, messages: 0, tasks: 0 });
      for (const row of messages.all(from, until)) {
        const entry = counts.get(row.minute);
        if (entry !== undefined) entry.messages = row.n;
      }
      for (const row of tasks.all(from, until)) {
        const entry = counts.get(row.minute);
        if (entry !== undefined) entry.tasks = row.n;
      }
      return [...counts.values()];
    },
  };
}
