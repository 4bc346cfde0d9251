/** The overview's per-minute history of the last hour, as its rate cards show it. */
import type { MinuteCounts } from '../../../../shared/index.js';
import { axisStart } from '../../components/chart-scale.js';

const MINUTE = 60_000;

export interface HourHistory {
  /** The count over every minute the hub answered, the current one included. */
  total: number;
  /** The minutes the sparkline draws, oldest first. */
  minutes: number[];
}

/**
 * The hub answers every minute of the hour, oldest first, the last one being the current minute. That one
 * is still filling, so the sparkline leaves it out: drawn, it would look like a sudden drop. A hub younger
 * than the hour starts the line where it started (or at its first count), not with an hour of zeros.
 * `uptimeSeconds` is the hub's, undefined while not known.
 */
export function hourHistory(answered: readonly MinuteCounts[], pick: (minute: MinuteCounts) => number, uptimeSeconds: number | undefined): HourHistory {
  const completed = answered.slice(0, -1);
  // The current minute's start is at most a minute before now, so the line may start a minute early, never late.
  const current = answered[answered.length - 1]?.minute;
  const hubStart = uptimeSeconds === undefined || current === undefined ? undefined : current - uptimeSeconds * 1000;
  const firstData = completed.find((minute) => pick(minute) > 0)?.minute;
  const start = axisStart(completed[0]?.minute ?? 0, firstData, hubStart);
  return {
    total: answered.reduce((sum, minute) => sum + pick(minute), 0),
    minutes: completed.filter((minute) => minute.minute + MINUTE > start).map(pick),
  };
}
