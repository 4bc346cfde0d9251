/** What many HTTP routes share: the `"status": "ok"` of a success, the error body, page sizes and times in a query string. */
import { z } from 'zod';
import { ERROR_CATALOGUE, type ErrorCode } from '../errors.js';

/** Every successful JSON answer says `"status": "ok"` (the seed's convention). */
export const okStatus = z.literal('ok');

// Object.keys loses the key type; the catalogue's keys are exactly the error codes.
const errorCode = z.enum(Object.keys(ERROR_CATALOGUE) as [ErrorCode, ...ErrorCode[]]);

/** The body of every refused request: a stable code, a sentence for people, and per-setting messages from a settings save. */
export const httpErrorBody = z.object({
  status: z.literal('error'),
  error: z.object({
    code: errorCode,
    message: z.string(),
    fields: z.record(z.string(), z.string()).exactOptional(),
  }),
});
export type HttpErrorBody = z.output<typeof httpErrorBody>;

/** How many rows a listing answers with, from a query string: 1 to 1,000, `fallback` when not given. */
export const pageLimit = (fallback: number) => z.coerce.number().int().min(1).max(1000).default(fallback);

/** A time in a query: milliseconds since the epoch (digits only) or an ISO 8601 date or time. */
export const timeParam = z.string().transform((text, ctx) => {
  const ms = /^\d+$/.test(text) ? Number(text) : /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isSafeInteger(ms)) return ms;
  ctx.addIssue({ code: 'custom', message: 'expected an ISO 8601 time such as 2025-01-31T12:00:00Z, or milliseconds since the epoch' });
  return z.NEVER;
});
