// How a chart series is drawn: lines between gaps, and dots for points that stand alone.
import { describe, expect, it } from 'vitest';
import type { ChartSeries } from '../../renderer/src/components/chart-scale.js';
import { isolatedPoints, layeredStrokeWidths, lineRuns, linePath } from '../../renderer/src/components/chart-path.js';

const MINUTE = 60_000;

/** A per-minute series from values, null for a minute with no data. */
function series(values: (number | null)[]): { x: number; y: number | null }[] {
  return values.map((y, i) => ({ x: i * MINUTE, y }));
}

describe('lineRuns', () => {
  it('breaks the line at minutes with no data instead of drawing them as zero', () => {
    const runs = lineRuns(series([120, 130, null, null, 90, 100, 110]));
    expect(runs.map((run) => run.map((p) => p.y))).toEqual([
      [120, 130],
      [90, 100, 110],
    ]);
  });

  it('draws no line for a point alone between gaps', () => {
    expect(lineRuns(series([null, 50, null, 60, 70]))).toEqual([
      [
        { x: 3 * MINUTE, y: 60 },
        { x: 4 * MINUTE, y: 70 },
      ],
    ]);
  });
});

describe('isolatedPoints', () => {
  it('marks a point with no neighbour, at either end too, so it shows as a dot', () => {
    expect(isolatedPoints(series([40, null, 50, null, 60, 70, null, 0]))).toEqual([
      { x: 0, y: 40 },
      { x: 2 * MINUTE, y: 50 },
      { x: 7 * MINUTE, y: 0 },
    ]);
  });
});

describe('linePath', () => {
  it('has one subpath per run and none for a lone point', () => {
    const path = linePath(
      series([1, 2, null, 3, null, 4, 5]),
      (v) => v / MINUTE,
      (v) => v,
    );
    expect(path).toBe('M0.0,1.0L1.0,2.0M5.0,4.0L6.0,5.0');
  });
});

describe('layeredStrokeWidths', () => {
  const line = (id: string, values: (number | null)[], filling?: number): ChartSeries => ({
    id,
    label: id,
    color: 'red',
    points: series(values),
    ...(filling === undefined ? {} : { filling: { x: values.length * MINUTE, y: filling } }),
  });
  const px = (v: number): number => 200 - v;

  it('keeps the plain stroke for lines that never meet', () => {
    const widths = layeredStrokeWidths([line('a', [10, 20]), line('b', [50, 60])], px);
    expect(widths[0]).toBe(widths[1]);
  });

  it('draws a line wider than a later one with the same values, so both stay visible', () => {
    const widths = layeredStrokeWidths([line('a', [36, 36, 35]), line('b', [36, 36, 35]), line('c', [90, 91, 92])], px);
    expect(widths[0]).toBeGreaterThan(widths[1] ?? Infinity);
    expect(widths[1]).toBe(widths[2]);
  });

  it('counts the still-filling bucket, and stacks three equal lines in three widths', () => {
    const widths = layeredStrokeWidths([line('a', [null], 7), line('b', [null], 7), line('c', [null], 7)], px);
    expect(new Set(widths).size).toBe(3);
    expect(widths[0]).toBeGreaterThan(widths[1] ?? Infinity);
  });

  it('stops widening after a few layers, so many equal lines do not draw a thick band', () => {
    const widths = layeredStrokeWidths(
      Array.from({ length: 10 }, (_, i) => line(`s${i}`, [5, 5])),
      px,
    );
    expect(widths[0]).toBe(widths[3]);
    expect(widths[0]).toBeLessThan(8);
  });
});
