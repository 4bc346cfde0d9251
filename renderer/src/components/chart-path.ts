/**
 * How a series becomes SVG: runs of consecutive points are lines, a point with no data (`y: null`) breaks
 * the line, and a point with no neighbour is a dot, since a one-point line draws nothing.
 */
import type { ChartPoint } from './chart-scale.js';

/** The runs of a series between its gaps, each of two or more points. */
export function lineRuns(points: readonly ChartPoint[]): { x: number; y: number }[][] {
  const runs: { x: number; y: number }[][] = [];
  let run: { x: number; y: number }[] = [];
  for (const point of [...points, { x: Number.NaN, y: null }]) {
    if (point.y !== null) {
      run.push({ x: point.x, y: point.y });
      continue;
    }
    if (run.length > 1) runs.push(run);
    run = [];
  }
  return runs;
}

/** Points with no neighbour with data on either side, which a line would not show. */
export function isolatedPoints(points: readonly ChartPoint[]): { x: number; y: number }[] {
  return points.flatMap((point, i) =>
    point.y !== null && (points[i - 1]?.y ?? null) === null && (points[i + 1]?.y ?? null) === null ? [{ x: point.x, y: point.y }] : [],
  );
}

/** The SVG path of the series' runs, one subpath per run. */
export function linePath(points: readonly ChartPoint[], x: (v: number) => number, y: (v: number) => number): string {
  return lineRuns(points)
    .map((run) => run.map((point, i) => `${i === 0 ? 'M' : 'L'}${x(point.x).toFixed(1)},${y(point.y).toFixed(1)}`).join(''))
    .join('');
}
