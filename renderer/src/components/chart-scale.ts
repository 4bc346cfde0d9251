/** The line chart's data types and axis arithmetic: round y ticks and x ticks on round local times. */

export interface ChartPoint {
  /** Time in ms since the epoch. */
  x: number;
  y: number | null;
}

export interface ChartSeries {
  id: string;
  label: string;
  /** Any CSS colour, e.g. `var(--chart-1)`. */
  color: string;
  dashed?: boolean;
  points: readonly ChartPoint[];
  /**
   * The bucket still filling at the window's end, kept out of `points` (its count so far would draw as a
   * drop); the chart shows it apart, as a hollow dot on a dotted tail, and the tooltip says "so far".
   */
  filling?: { x: number; y: number };
}

const MINUTE = 60_000;
const Y_TICKS = 4;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
const TIME_STEPS = [MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY];

/** 0 to a round number at or above `max`, in about `count` equal steps (1, 2 or 5 × a power of ten). */
export function niceTicks(max: number, count: number = Y_TICKS): number[] {
  const top = max > 0 ? max : 1;
  const rough = top / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const steps = Math.ceil(top / step - 1e-9);
  return Array.from({ length: steps + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

/** Tick times at round local times (whole minutes, hours or days) across the span. */
export function timeTicks(from: number, to: number, maxTicks: number): number[] {
  const span = to - from;
  const step = TIME_STEPS.find((s) => span / s <= maxTicks) ?? Math.ceil(span / maxTicks / DAY) * DAY;
  // Align to local time, so hour and day ticks fall on the clock's round values.
  const offset = -new Date(from).getTimezoneOffset() * MINUTE;
  const ticks: number[] = [];
  for (let t = Math.ceil((from + offset) / step) * step - offset; t <= to; t += step) ticks.push(t);
  return ticks;
}

/**
 * Where a chart's time axis starts. A hub younger than the window has nothing to show before it started, so
 * the axis starts at its start or at its first data point, whichever is earlier (stored data can predate a
 * restart); otherwise it is the whole window. `hubStart` undefined (not known yet) keeps the whole window.
 */
export function axisStart(windowStart: number, firstData: number | undefined, hubStart: number | undefined): number {
  if (hubStart === undefined || hubStart <= windowStart) return windowStart;
  return Math.max(windowStart, firstData === undefined ? hubStart : Math.min(hubStart, firstData));
}
