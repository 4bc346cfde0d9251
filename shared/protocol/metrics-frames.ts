/** The seed's metrics frame: one interaction an agent reports (intent, tools, response time, success). */
import { z } from 'zod';
import { requestId } from './common.js';

/** The seed sends Python's `datetime.now().isoformat()`: local time, no offset, microseconds. Epoch ms also works. */
const interactionTime = z.union([
  z
    .string()
    .max(64)
    .refine((text) => !Number.isNaN(Date.parse(text)), 'must be an ISO 8601 time')
    .transform((text) => Date.parse(text)),
  z.number().int().min(0),
]);

/** A tool as a name, or the seed's `{"tool": name, "params": {…}}`. */
const toolUsed = z.union([z.string().min(1).max(200), z.looseObject({ tool: z.string().min(1).max(200) })]);

export const interactionRecord = z.object({
  session_id: z.string().max(200).nullish(),
  timestamp: interactionTime.optional(),
  /** Only the first 200 characters are kept (seed). */
  user_input: z
    .string()
    .nullish()
    .transform((text) => (text === null || text === undefined ? null : text.slice(0, 200))),
  intent: z.string().max(200).nullish(),
  tools_used: z.array(toolUsed).max(100).default([]),
  response_time_ms: z.number().min(0).max(86_400_000),
  success: z.boolean(),
  error_type: z.string().max(200).nullish(),
});

export const metricsFrame = z.object({ type: z.literal('metrics'), id: requestId, data: interactionRecord });

export type InteractionRecord = z.output<typeof interactionRecord>;
