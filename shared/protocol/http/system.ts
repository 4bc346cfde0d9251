/** Health and connection statistics: `/api/health` (public), `/ws/status` and `/ws/handlers` (the seed's). */
import { z } from 'zod';
import { isoTime } from '../common.js';
import { statusData } from '../server-frames.js';
import { okStatus } from './common.js';
import { defineRoute } from './route.js';

/** Can the hub write its database: healthy, writes failing (clears by itself), or damaged (read-only until a restore). */
export const databaseStatus = z.object({
  state: z.enum(['healthy', 'write-failing', 'damaged']),
  /** What is wrong; absent while healthy. */
  reason: z.string().exactOptional(),
  /** How to restore the newest good backup (damaged only). */
  advice: z.string().exactOptional(),
  read_only: z.boolean(),
});

/** 200 while healthy; the same body with 503 while degraded. */
export const healthResponse = z.object({
  status: z.enum(['healthy', 'degraded']),
  connections: z.number().int(),
  /** `unreadable`: the health check's own read failed. */
  database: z.enum(['ok', 'unreadable', 'write-failing', 'damaged']),
  reason: z.string().exactOptional(),
  advice: z.string().exactOptional(),
  timestamp: isoTime,
});
export type HealthResponse = z.output<typeof healthResponse>;

export const connectionStatus = z.object({
  client_id: z.string(),
  agent: z.string().nullable(),
  connected_at: isoTime,
  last_activity: isoTime,
  /** Conversation ids, or `*` for all. */
  subscriptions: z.array(z.string()),
  frames_in: z.number().int(),
  frames_out: z.number().int(),
});

/** Counters that only grow, so a page polling this works out rates from deltas; null where a damaged database cannot give them. */
export const hubStatusResponse = statusData.extend({
  status: z.enum(['ok', 'degraded']),
  database: databaseStatus,
  total_messages: z.number().int().nullable(),
  last_seq: z.number().int().nullable(),
  total_tasks: z.number().int().nullable(),
  agents_online: z.number().int(),
  open_streams: z.number().int(),
  commits: z.object({ batches: z.number().int(), writes: z.number().int(), largestBatch: z.number().int() }),
  offline_queue: z.object({ queued: z.number().int(), enqueued: z.number().int(), dropped: z.number().int() }),
  /** Bytes. */
  memory: z.object({ rss: z.number().int(), heap_used: z.number().int() }),
  /** Frames received, by type. */
  frames: z.record(z.string(), z.number().int()),
  connections: z.array(connectionStatus),
});
export type HubStatusResponse = z.output<typeof hubStatusResponse>;

export const handlersResponse = z.object({
  status: okStatus,
  /** The frame types the hub answers. */
  handlers: z.array(z.string()),
  middleware: z.array(z.string()),
});

export const systemApi = {
  health: defineRoute({ method: 'GET', path: '/api/health', access: 'public', ok: [200], response: healthResponse, failures: { 503: healthResponse } }),
  hubStatus: defineRoute({ method: 'GET', path: '/ws/status', access: 'token', ok: [200], response: hubStatusResponse }),
  frameHandlers: defineRoute({ method: 'GET', path: '/ws/handlers', access: 'token', ok: [200], response: handlersResponse }),
};
