/** Frames that open, keep alive and inspect a connection (hello and the seed's heartbeat, ping, get_status). */
import { z } from 'zod';
import { agentName, requestId } from './common.js';

export const helloFrame = z.object({
  type: z.literal('hello'),
  id: requestId,
  token: z.string().min(1).max(500),
  agent: agentName.optional(),
  display_name: z.string().max(200).optional(),
  kind: z.string().max(100).optional(),
  capabilities: z.array(z.string().max(100)).max(100).optional(),
  /** A tool watching the hub (switchboard tail, a monitor): authenticated, but not an agent (see docs/protocol.md). */
  observer: z.boolean().optional(),
});

export const heartbeatFrame = z.object({
  type: z.literal('heartbeat'),
  id: requestId,
  timestamp: z.number().optional(),
});

export const pingFrame = z.object({
  type: z.literal('ping'),
  id: requestId,
  timestamp: z.number().optional(),
});

export const getStatusFrame = z.object({
  type: z.literal('get_status'),
  id: requestId,
  timestamp: z.number().optional(),
});

export type HelloFrame = z.output<typeof helloFrame>;
export type HeartbeatFrame = z.output<typeof heartbeatFrame>;
export type PingFrame = z.output<typeof pingFrame>;
export type GetStatusFrame = z.output<typeof getStatusFrame>;
