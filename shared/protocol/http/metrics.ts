/**
 * Metrics over HTTP: interactions reported in batches, per-agent totals and series from the rollups,
 * messages and tasks per minute, and every metric in the Prometheus text format.
 */
import { z } from 'zod';
import { agentName, isoTime } from '../common.js';
import { interactionRecord } from '../metrics-frames.js';
import { okStatus, timeParam } from './common.js';
import { defineRoute } from './route.js';

/** Records one request may carry. */
export const MAX_INTERACTION_BATCH = 1000;

/** The seed's frame body (`{"data": record}`), a bare record, an array, or `{"interactions": [...]}`. */
export const postInteractionsRequest = z.union([
  interactionRecord,
  z.object({ data: interactionRecord }),
  z.array(interactionRecord).max(MAX_INTERACTION_BATCH),
  z.object({ interactions: z.array(interactionRecord).max(MAX_INTERACTION_BATCH) }),
]);
export type PostInteractionsRequest = z.input<typeof postInteractionsRequest>;

/**
 * The valid records are stored and each invalid one is named by its index: 201 `ok` when all were
 * stored, 207 `partial` when some were, 400 `error` when none was.
 */
export const postInteractionsResponse = z.object({
  status: z.enum(['ok', 'partial', 'error']),
  stored: z.number().int(),
  ids: z.array(z.number().int()),
  errors: z.array(z.object({ index: z.number().int(), message: z.string() })),
});

/** The last day when `since` is left out; `until` is now when left out. */
export const metricsWindowQuery = z.object({ since: timeParam.optional(), until: timeParam.optional() });
export type MetricsWindowQuery = z.input<typeof metricsWindowQuery>;

/** The sizes a series' buckets may have. */
export const ROLLUP_BUCKETS = ['1m', '5m', '15m', '1h', '1d'] as const;
export type RollupBucketSize = (typeof ROLLUP_BUCKETS)[number];

export const metricRollupsQuery = metricsWindowQuery.extend({ agent: agentName.optional(), bucket: z.enum(ROLLUP_BUCKETS).default('1m') });
export type MetricRollupsQuery = z.input<typeof metricRollupsQuery>;

/** What every bucket and every per-agent total holds. */
export const interactionSummary = z.object({
  agent: z.string(),
  count: z.number().int(),
  errors: z.number().int(),
  /** Percent, as the alert threshold is. */
  error_rate: z.number(),
  avg_ms: z.number(),
  p50_ms: z.number(),
  p95_ms: z.number(),
  /** The highest p95 of the minutes in the bucket. */
  p95_max_ms: z.number(),
  max_ms: z.number(),
  /** Calls by tool name. */
  tools: z.record(z.string(), z.number().int()),
  /** Failures by error type. */
  error_types: z.record(z.string(), z.number().int()),
});
export type InteractionSummary = z.output<typeof interactionSummary>;

export const agentMetricsResponse = z.object({
  status: okStatus,
  since: isoTime,
  until: isoTime,
  /** One total per agent over the window; `minutes` counts the minutes with interactions. */
  agents: z.array(interactionSummary.extend({ minutes: z.number().int() })),
});
export type AgentMetricsResponse = z.output<typeof agentMetricsResponse>;

export const metricRollupsResponse = z.object({
  status: okStatus,
  since: isoTime,
  until: isoTime,
  bucket: z.enum(ROLLUP_BUCKETS),
  /** Oldest first; buckets without interactions are left out. */
  rollups: z.array(interactionSummary.extend({ start: isoTime })),
});
export type MetricRollupsResponse = z.output<typeof metricRollupsResponse>;

export const messageRatesQuery = z.object({ minutes: z.coerce.number().int().min(1).max(1440).default(60) });
export type MessageRatesQuery = z.input<typeof messageRatesQuery>;

export const minuteCounts = z.object({
  /** The minute's start, epoch ms. */
  minute: z.number().int(),
  messages: z.number().int(),
  /** Tasks created in the minute. */
  tasks: z.number().int(),
});
export type MinuteCounts = z.output<typeof minuteCounts>;

/** Every minute of the window, oldest first; the last one is the current minute, still filling. */
export const messageRatesResponse = z.object({ status: okStatus, minutes: z.array(minuteCounts) });

export const metricsApi = {
  postInteractions: defineRoute({
    method: 'POST',
    path: '/api/metrics',
    access: 'token',
    body: postInteractionsRequest,
    ok: [201, 207],
    response: postInteractionsResponse,
    failures: { 400: postInteractionsResponse },
  }),
  agentMetrics: defineRoute({
    method: 'GET',
    path: '/api/metrics/agents',
    access: 'token',
    query: metricsWindowQuery,
    ok: [200],
    response: agentMetricsResponse,
  }),
  metricRollups: defineRoute({
    method: 'GET',
    path: '/api/metrics/rollups',
    access: 'token',
    query: metricRollupsQuery,
    ok: [200],
    response: metricRollupsResponse,
  }),
  messageRates: defineRoute({ method: 'GET', path: '/api/stats/rates', access: 'token', query: messageRatesQuery, ok: [200], response: messageRatesResponse }),
  /** For Prometheus to scrape. */
  prometheusMetrics: defineRoute({ method: 'GET', path: '/metrics', access: 'token', ok: [200], response: z.string(), format: 'text' }),
};
