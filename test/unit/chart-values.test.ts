// The chart tooltip's rows: every series' value at the moment pointed at.
import { describe, expect, it } from 'vitest';
import type { ChartSeries } from '../../renderer/src/components/chart-scale.js';
import { valuesAt } from '../../renderer/src/components/chart-values.js';

const MINUTE = 60_000;

function line(id: string, values: (number | null)[], dashed = false): ChartSeries {
  return { id, label: id, color: `var(--${id})`, dashed, points: values.map((y, i) => ({ x: i * MINUTE, y })) };
}

describe('valuesAt', () => {
  it('names both of two series with equal values, whose lines lie on each other', () => {
    const rows = valuesAt([line('coder p50', [100, 100]), line('coder p95', [100, 100], true)], MINUTE);
    expect(rows.map((row) => `${row.label}=${row.value}${row.dashed ? ' dashed' : ''}`)).toEqual(['coder p50=100', 'coder p95=100 dashed']);
  });

  it('says a bucket still filling holds a count so far', () => {
    const rows = valuesAt([{ ...line('coder', [5, 6]), filling: { x: 2 * MINUTE, y: 1 } }], 2 * MINUTE);
    expect(rows).toMatchObject([{ label: 'coder', value: 1, partial: true }]);
  });

  it('leaves out a series with no data at that moment instead of showing it as 0', () => {
    const rows = valuesAt([line('coder', [5, null]), line('planner', [0, 0])], MINUTE);
    expect(rows.map((row) => row.label)).toEqual(['planner']);
  });
});
