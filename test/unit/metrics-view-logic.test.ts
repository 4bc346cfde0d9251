// The metrics view's pure parts: chart axes, series from rollups, and the live alert list.
import { describe, expect, it } from 'vitest';
import type { AlertRecord, InteractionSummary, MetricRollupsResponse } from '../../shared/index.js';
import { axisStart, niceTicks, timeTicks } from '../../renderer/src/components/chart-scale.js';
import { mergeAlerts, occurrencesText } from '../../renderer/src/views/metrics/alert-list.js';
import { agentColors, buildCharts, sumCounts } from '../../renderer/src/views/metrics/metrics-data.js';

const MINUTE = 60_000;

function bucket(agent: string, start: number, fields: Partial<InteractionSummary> = {}): InteractionSummary & { start: string } {
  return {
    agent,
    start: new Date(start).toISOString(),
    count: 10,
    errors: 1,
    error_rate: 10,
    avg_ms: 120,
    p50_ms: 100,
    p95_ms: 300,
    p95_max_ms: 300,
    max_ms: 400,
    tools: {},
    error_types: {},
    ...fields,
  };
}

function alert(id: number, fields: Partial<AlertRecord> = {}): AlertRecord {
  return {
    id,
    rule: 'error_rate',
    subject: 'coder',
    level: 'warning',
    state: 'open',
    message: 'm',
    value: 9,
    threshold: 5,
    occurrences: 1,
    first_at: '2026-01-01T10:00:00.000Z',
    last_at: '2026-01-01T10:00:00.000Z',
    resolved_at: null,
    acknowledged_at: null,
    acknowledged_by: null,
    ...fields,
  };
}

describe('niceTicks', () => {
  it('runs from 0 to a round value at or above the maximum', () => {
    expect(niceTicks(6.3)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(100)).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(0)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
});

describe('timeTicks', () => {
  it('puts ticks on round times inside the span, no more than asked', () => {
    const from = Date.UTC(2026, 0, 1, 10, 3);
    const ticks = timeTicks(from, from + 60 * MINUTE, 4);
    expect(ticks.length).toBeLessThanOrEqual(4);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    for (const tick of ticks) {
      expect(tick).toBeGreaterThanOrEqual(from);
      expect(tick % MINUTE).toBe(0);
    }
  });
});

describe('axisStart', () => {
  const windowStart = Date.UTC(2026, 0, 1, 10, 0);

  it('is the whole window for a hub older than it, or while its age is not known', () => {
    expect(axisStart(windowStart, windowStart + 30 * MINUTE, windowStart - MINUTE)).toBe(windowStart);
    expect(axisStart(windowStart, windowStart + 30 * MINUTE, undefined)).toBe(windowStart);
  });

  it('is the start of a younger hub, or its first data point when that is earlier', () => {
    expect(axisStart(windowStart, undefined, windowStart + 40 * MINUTE)).toBe(windowStart + 40 * MINUTE);
    expect(axisStart(windowStart, windowStart + 50 * MINUTE, windowStart + 40 * MINUTE)).toBe(windowStart + 40 * MINUTE);
    expect(axisStart(windowStart, windowStart + 10 * MINUTE, windowStart + 40 * MINUTE)).toBe(windowStart + 10 * MINUTE);
  });
});

describe('buildCharts', () => {
  const since = Date.UTC(2026, 0, 1, 10, 0);
  const until = since + 5 * MINUTE;
  const answer: MetricRollupsResponse = {
    status: 'ok',
    since: new Date(since).toISOString(),
    until: new Date(until).toISOString(),
    bucket: '1m',
    rollups: [bucket('coder', since), bucket('coder', since + 2 * MINUTE, { count: 4, error_rate: 0 }), bucket('planner', since + MINUTE)],
  };
  const charts = buildCharts(answer, since, until, 1, agentColors(['coder', 'planner']));

  it('has one requests and one error-rate line per agent and two latency lines', () => {
    expect(charts.requests.map((s) => s.id)).toEqual(['coder', 'planner']);
    expect(charts.errorRate).toHaveLength(2);
    expect(charts.latency.map((s) => s.id)).toEqual(['coder-p50', 'coder-p95', 'planner-p50', 'planner-p95']);
    expect(charts.latency[1]?.dashed).toBe(true);
  });

  it('counts an empty bucket as no requests but as no data for rates and latency', () => {
    expect(charts.requests[0]?.points.map((p) => p.y)).toEqual([10, 0, 4, 0, 0]);
    expect(charts.errorRate[0]?.points.map((p) => p.y)).toEqual([10, null, 0, null, null]);
    expect(charts.latency[0]?.points.map((p) => p.y)).toEqual([100, null, 100, null, null]);
  });

  it('gives requests per minute for coarser buckets', () => {
    const coarse = buildCharts({ ...answer, rollups: [bucket('coder', since, { count: 30 })] }, since, since + 15 * MINUTE, 15, agentColors(['coder']));
    expect(coarse.requests[0]?.points[0]?.y).toBe(2);
  });

  it('starts a young hub’s axis at its first data, not squeezed into the right edge of the window', () => {
    const hourAgo = until - 60 * MINUTE;
    const young = buildCharts(answer, hourAgo, until, 1, agentColors(['coder', 'planner']), since + 30_000);
    expect(young.domain).toEqual([since, until]);
    expect(young.requests[0]?.points.map((p) => p.x)).toEqual([0, 1, 2, 3, 4].map((i) => since + i * MINUTE));
    const old = buildCharts(answer, hourAgo, until, 1, agentColors(['coder', 'planner']), hourAgo - MINUTE);
    expect(old.domain).toEqual([hourAgo, until]);
    expect(old.requests[0]?.points).toHaveLength(60);
  });

  it('keeps the bucket still filling apart from the requests line, so it does not draw as a drop', () => {
    const filling = buildCharts({ ...answer, rollups: [bucket('coder', since + 4 * MINUTE, { count: 1 })] }, since, until - 30_000, 1, agentColors(['coder']));
    expect(filling.requests[0]?.points.map((p) => p.y)).toEqual([0, 0, 0, 0]);
    expect(filling.requests[0]?.filling).toEqual({ x: since + 4 * MINUTE, y: 1 });
    const coarse = buildCharts({ ...answer, rollups: [bucket('coder', since, { count: 30 })] }, since, until, 15, agentColors(['coder']));
    expect(coarse.requests[0]?.points).toEqual([]);
    expect(coarse.requests[0]?.filling).toEqual({ x: since, y: 2 });
    expect(charts.requests[0]?.filling).toBeUndefined();
  });
});

describe('sumCounts', () => {
  it('adds up tools across agents', () => {
    const totals = [bucket('a', 0, { tools: { read: 2, git: 1 } }), bucket('b', 0, { tools: { read: 3 } })];
    expect(sumCounts(totals, 'tools')).toEqual([
      { label: 'read', value: 5 },
      { label: 'git', value: 1 },
    ]);
  });
});

describe('mergeAlerts', () => {
  it('says what an alert’s count counts: the checks that found it', () => {
    expect(occurrencesText(1)).toBe('1 check');
    expect(occurrencesText(131)).toBe('131 checks');
  });

  it('lets the newer record of an alert win and adds pushed alerts the fetch did not hold', () => {
    const fetched = [alert(1), alert(2)];
    const pushed = { 2: alert(2, { state: 'resolved', resolved_at: '2026-01-01T10:05:00.000Z' }), 3: alert(3) };
    const merged = mergeAlerts(fetched, [pushed], undefined);
    expect(merged.map((a) => `${a.id}:${a.state}`)).toEqual(['3:open', '2:resolved', '1:open']);
  });

  it('keeps an acknowledgement over an older push, and filters by state after merging', () => {
    const acked = { 1: alert(1, { state: 'acknowledged', acknowledged_at: '2026-01-01T10:01:00.000Z', acknowledged_by: 'user' }) };
    expect(mergeAlerts([alert(1)], [{ 1: alert(1) }, acked], undefined)[0]?.state).toBe('acknowledged');
    expect(mergeAlerts([alert(1)], [acked], 'open')).toEqual([]);
  });
});
