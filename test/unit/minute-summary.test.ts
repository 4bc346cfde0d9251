/** The per-minute summary: nearest-rank percentiles, tool names in both of the seed's shapes, counts. */
import { describe, expect, it } from 'vitest';
import { MinuteAccumulator, minuteOf, nearestRank, toolName } from '../../electron/hub/metrics/minute-summary.js';

describe('minute summary', () => {
  it('takes nearest-rank percentiles: the smallest value with at least that share of all at or below it', () => {
    const sorted = (values: number[]) => Float64Array.from(values).sort();
    expect([
      nearestRank(sorted([]), 0.5),
      nearestRank(sorted([7]), 0.95),
      nearestRank(sorted([1, 2]), 0.5),
      nearestRank(sorted(Array.from({ length: 100 }, (_, i) => i + 1)), 0.95),
      nearestRank(sorted(Array.from({ length: 101 }, (_, i) => i + 1)), 0.95),
    ]).toEqual([0, 7, 1, 95, 96]);
  });

  it('names tools given as strings or as {"tool": …}, and skips anything else', () => {
    expect(['read', { tool: 'write', params: {} }, { name: 'x' }, 3, null].map(toolName)).toEqual(['read', 'write', undefined, undefined, undefined]);
  });

  it('sums one minute exactly, counting error types wherever they are reported', () => {
    const acc = new MinuteAccumulator();
    acc.add({ response_time_ms: 30, success: true, error_type: null, tools_used: ['read', 'read'] });
    acc.add({ response_time_ms: 10, success: false, error_type: 'Timeout', tools_used: [] });
    acc.add({ response_time_ms: 20, success: false, error_type: null, tools_used: [{ tool: 'grep' }] });
    expect(acc.summary()).toEqual({
      count: 3,
      errors: 2,
      sum_ms: 60,
      max_ms: 30,
      p50_ms: 20,
      p95_ms: 30,
      tools: { read: 2, grep: 1 },
      error_types: { Timeout: 1 },
    });
    expect([minuteOf(0), minuteOf(59_999), minuteOf(60_000), minuteOf(-1)]).toEqual([0, 0, 1, -1]);
  });
});
