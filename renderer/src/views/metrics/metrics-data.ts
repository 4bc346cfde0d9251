/**
 * The interaction metrics as the hub answers them (`/api/metrics/agents`, `/api/metrics/rollups`), and the
 * chart series built from them. Pure, so it is easy to reason about without a DOM.
 */
import type { InteractionSummary, MetricRollupsResponse } from '../../../../shared/index.js';
import { axisStart, type ChartSeries } from '../../components/chart-scale.js';

const PALETTE = [
  'var(--chart-1)',
  'var(--chart-2)',
  'var(--chart-3)',
  'var(--chart-4)',
  'var(--chart-5)',
  'var(--chart-6)',
  'var(--chart-7)',
  'var(--chart-8)',
];

/** A colour per agent that stays put across refreshes: by the agent's place in the sorted names. */
export function agentColors(agents: Iterable<string>): Map<string, string> {
  const sorted = [...new Set(agents)].sort();
  return new Map(sorted.map((agent, i) => [agent, PALETTE[i % PALETTE.length] ?? 'var(--chart-1)']));
}

export interface ChartSet {
  requests: ChartSeries[];
  errorRate: ChartSeries[];
  latency: ChartSeries[];
  /** The x axis: from the first bucket's start (or, for a hub younger than the window, its first data) to the window's end. */
  domain: [number, number];
}

/**
 * One line per agent for requests per minute (an empty bucket is 0) and error rate (an empty bucket is no
 * data, not 0 %), and p50 (solid) and p95 (dashed) latency per agent. The bucket still filling at `until`
 * is kept apart from the requests line (`filling`): its partial count would draw as a drop at the right edge.
 */
export function buildCharts(
  answer: MetricRollupsResponse,
  since: number,
  until: number,
  bucketMinutes: number,
  colors: Map<string, string>,
  hubStart?: number,
): ChartSet {
  const size = bucketMinutes * 60_000;
  const dataStarts = answer.rollups.map((bucket) => Date.parse(bucket.start));
  const firstData = dataStarts.length === 0 ? undefined : Math.min(...dataStarts);
  const first = Math.floor(axisStart(since, firstData, hubStart) / size) * size;
  const starts: number[] = [];
  for (let t = first; t < until; t += size) starts.push(t);

  const byAgent = new Map<string, Map<number, InteractionSummary>>();
  for (const bucket of answer.rollups) {
    const at = Date.parse(bucket.start);
    let buckets = byAgent.get(bucket.agent);
    if (buckets === undefined) byAgent.set(bucket.agent, (buckets = new Map()));
    buckets.set(at, bucket);
  }

  const agents = [...byAgent.keys()].sort();
  const single = agents.length === 1;
  const charts: ChartSet = { requests: [], errorRate: [], latency: [], domain: [first, until] };
  for (const agent of agents) {
    const buckets = byAgent.get(agent) ?? new Map<number, InteractionSummary>();
    const color = colors.get(agent) ?? 'var(--chart-1)';
    const at = (pick: (b: InteractionSummary) => number, empty: number | null) =>
      starts.map((x) => {
        const b = buckets.get(x);
        return { x, y: b === undefined ? empty : pick(b) };
      });
    const requests = at((b) => b.count / bucketMinutes, 0);
    const filling = requests.find((p) => p.x + size > until);
    charts.requests.push({
      id: agent,
      label: agent,
      color,
      points: requests.filter((p) => p !== filling),
      ...(filling === undefined ? {} : { filling: { x: filling.x, y: filling.y ?? 0 } }),
    });
    charts.errorRate.push({ id: agent, label: agent, color, points: at((b) => b.error_rate, null) });
    // With one agent the two percentiles get two colours; with several, the agent's colour and a dash for p95.
    charts.latency.push({ id: `${agent}-p50`, label: `${agent} p50`, color: single ? 'var(--chart-1)' : color, points: at((b) => b.p50_ms, null) });
    charts.latency.push({
      id: `${agent}-p95`,
      label: `${agent} p95`,
      color: single ? 'var(--chart-2)' : color,
      dashed: true,
      points: at((b) => b.p95_ms, null),
    });
  }
  return charts;
}

/** Tools or error types summed over the given totals. */
export function sumCounts(totals: readonly InteractionSummary[], field: 'tools' | 'error_types'): { label: string; value: number }[] {
  const sums = new Map<string, number>();
  for (const total of totals) {
    for (const [name, n] of Object.entries(total[field])) sums.set(name, (sums.get(name) ?? 0) + n);
  }
  return [...sums].map(([label, value]) => ({ label, value }));
}
