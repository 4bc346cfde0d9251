/** `GET /api/federation`: the link to the other hubs through NATS JetStream, for the overview and for checks. */
import { z } from 'zod';
import { isoTime } from '../common.js';
import { okStatus } from './common.js';
import { defineRoute } from './route.js';

export const federationStatus = z.union([
  z.object({ enabled: z.literal(false) }),
  z.object({
    enabled: z.literal(true),
    hub_id: z.string(),
    servers: z.array(z.string()),
    /** The shared conversations' names and patterns. */
    conversations: z.array(z.string()),
    connected: z.boolean(),
    /** The NATS server connected to last. */
    server: z.string().nullable(),
    /** The cursor over local messages: the last one published, and how many local messages lie above it. */
    outbox: z.object({ published_seq: z.number().int(), pending: z.number().int() }),
    /** Messages in the stream this hub has not taken in yet; null while NATS cannot be asked. */
    inbound: z.object({ pending: z.number().int().nullable() }),
    /** Since the hub started: messages published, stored from other hubs, refused as malformed. */
    published: z.number().int(),
    received: z.number().int(),
    refused: z.number().int(),
    last_error: z.object({ at: isoTime, message: z.string() }).nullable(),
  }),
]);
export type FederationStatus = z.output<typeof federationStatus>;

export const federationApi = {
  federation: defineRoute({
    method: 'GET',
    path: '/api/federation',
    access: 'token',
    ok: [200],
    response: z.object({ status: okStatus, federation: federationStatus }),
  }),
};
