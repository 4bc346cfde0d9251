/**
 * How a series becomes SVG: runs of consecutive points are lines, a point with no data (`y: null`) breaks
 * the line, and a point with no neighbour is a dot, since a one-point line draws nothing.
 */
import type { ChartPoint, ChartSeries } from './chart-scale.js';

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

/** A line's stroke; each line it hides under is LAYER_STEP wider, up to MAX_LAYERS steps. */
const LINE_STROKE = 1.75;
const LAYER_STEP = 1.5;
const MAX_LAYERS = 3;
/** Points closer than this many pixels draw over each other. */
const COINCIDENT_PX = 1.5;

/** Whether two series have a point at the same time drawn at (nearly) the same height. */
function coincide(a: ChartSeries, b: ChartSeries, y: (v: number) => number): boolean {
  const heights = new Map<number, number>();
  for (const p of a.filling === undefined ? a.points : [...a.points, a.filling]) if (p.y !== null) heights.set(p.x, y(p.y));
  for (const p of b.filling === undefined ? b.points : [...b.points, b.filling]) {
    const other = p.y === null ? undefined : heights.get(p.x);
    if (other !== undefined && p.y !== null && Math.abs(other - y(p.y)) < COINCIDENT_PX) return true;
  }
  return false;
}

/**
 * The stroke width of each series. Later series are drawn over earlier ones, so a line that meets a later
 * one somewhere is drawn wider: where they carry the same values it still shows as an edge around the line
 * on top instead of vanishing under it. Lines that never meet keep the plain stroke.
 */
export function layeredStrokeWidths(series: readonly ChartSeries[], y: (v: number) => number): number[] {
  const layers = series.map(() => 0);
  for (let i = series.length - 2; i >= 0; i--) {
    for (let j = i + 1; j < series.length; j++) {
      const [a, b] = [series[i], series[j]];
      if (a !== undefined && b !== undefined && coincide(a, b, y)) layers[i] = Math.max(layers[i] ?? 0, (layers[j] ?? 0) + 1);
    }
  }
  return layers.map((layer) => LINE_STROKE + Math.min(MAX_LAYERS, layer) * LAYER_STEP);
}
