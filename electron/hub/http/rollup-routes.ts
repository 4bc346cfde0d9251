/** Interaction metrics for charts, read from the rollups: per-agent totals over a window, and a series per minute or coarser. */
import { metricRollupsQuery, metricsWindowQuery, SwitchboardError, type RollupBucketSize } from '../../../shared/index.js';
import { MINUTE_MS } from '../metrics/minute-summary.js';
import type { HubServices } from '../services.js';
import type { RollupBucket } from '../store/rollup-store.js';
import { route, type Route } from './http-router.js';
import { parseWith } from './parse.js';

/** Minutes per bucket of a series, by the `bucket` names a query may use. */
const BUCKET_MINUTES: Readonly<Record<RollupBucketSize, number>> = { '1m': 1, '5m': 5, '15m': 15, '1h': 60, '1d': 1440 };
/** Most buckets one series answer may hold per agent (a week of minutes fits). */
export const MAX_POINTS = 20_000;
/** The window when `since` is left out: the last day. */
const DEFAULT_WINDOW_MS = 86_400_000;
/** A bucket no window reaches, so each agent gets one total. */
const WHOLE_WINDOW_MINUTES = 2 ** 40;

interface Window {
  since: number;
  until: number;
  /** The minutes that overlap the window: from `from` up to, not including, `to`. */
  from: number;
  to: number;
}

function windowOf(query: { since?: number | undefined; until?: number | undefined }, now: number): Window {
  const until = query.until ?? now;
  const since = query.since ?? until - DEFAULT_WINDOW_MS;
  if (since >= until) throw new SwitchboardError('SB_ERR_VALIDATION', 'invalid query: since must be earlier than until');
  return { since, until, from: Math.floor(since / MINUTE_MS), to: Math.ceil(until / MINUTE_MS) };
}

const round = (value: number): number => Math.round(value * 1000) / 1000;
const iso = (minute: number): string => new Date(minute * MINUTE_MS).toISOString();

/** One bucket as answered: rates and means worked out, times as ISO strings. */
function view(b: RollupBucket) {
  return {
    count: b.count,
    errors: b.errors,
    /** Percent, as the alert threshold is. */
    error_rate: round((b.errors / b.count) * 100),
    avg_ms: round(b.sum_ms / b.count),
    p50_ms: round(b.p50_ms),
    p95_ms: round(b.p95_ms),
    p95_max_ms: b.p95_max_ms,
    max_ms: b.max_ms,
    tools: b.tools,
    error_types: b.error_types,
  };
}

export function rollupRoutes(s: Pick<HubServices, 'rollups' | 'clock'>): Route[] {
  return [
    route('agentMetrics', {
      async handle(ctx) {
        const window = windowOf(parseWith(metricsWindowQuery, Object.fromEntries(ctx.query), 'query'), s.clock.now());
        await s.rollups.flush();
        const totals = s.rollups.store.buckets({ from: window.from, to: window.to, size: WHOLE_WINDOW_MINUTES });
        return {
          body: {
            status: 'ok',
            since: new Date(window.since).toISOString(),
            until: new Date(window.until).toISOString(),
            agents: totals.map((b) => ({ agent: b.agent, ...view(b), minutes: b.minutes })),
          },
        };
      },
    }),
    route('metricRollups', {
      async handle(ctx) {
        const query = parseWith(metricRollupsQuery, Object.fromEntries(ctx.query), 'query');
        const window = windowOf(query, s.clock.now());
        const size = BUCKET_MINUTES[query.bucket];
        const points = Math.ceil((window.to - window.from) / size);
        if (points > MAX_POINTS) {
          throw new SwitchboardError(
            'SB_ERR_VALIDATION',
            `invalid query: ${points} buckets of ${query.bucket} in that window, at most ${MAX_POINTS}: choose a larger bucket or a shorter window`,
          );
        }
        await s.rollups.flush();
        const buckets = s.rollups.store.buckets({ agent: query.agent, from: window.from, to: window.to, size });
        return {
          body: {
            status: 'ok',
            since: new Date(window.since).toISOString(),
            until: new Date(window.until).toISOString(),
            bucket: query.bucket,
            rollups: buckets.map((b) => ({ agent: b.agent, start: iso(b.bucket), ...view(b) })),
          },
        };
      },
    }),
  ];
}
