/**
 * What the chart's tooltip lists at a moment: every series with data there, in legend order, so two series
 * with equal values, whose lines lie on each other, are both named.
 */
import type { ChartSeries } from './chart-scale.js';

export interface ChartValue {
  id: string;
  label: string;
  color: string;
  dashed: boolean;
  value: number;
  /** The value of a bucket still filling: a count so far. */
  partial: boolean;
}

export function valuesAt(series: readonly ChartSeries[], time: number): ChartValue[] {
  return series.flatMap((s): ChartValue[] => {
    const row = { id: s.id, label: s.label, color: s.color, dashed: s.dashed === true };
    if (s.filling?.x === time) return [{ ...row, value: s.filling.y, partial: true }];
    const point = s.points.find((p) => p.x === time);
    return point === undefined || point.y === null ? [] : [{ ...row, value: point.y, partial: false }];
  });
}
