/** Request validation for HTTP routes: a zod schema, and an error naming the field when it does not fit. */
import { z } from 'zod';
import { describeIssues, SwitchboardError } from '../../../shared/index.js';

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new SwitchboardError('SB_ERR_VALIDATION', `invalid ${what}: ${describeIssues(result.error)}`);
  return result.data;
}

/** A JSON body as an object; anything else is wrapped so the schema reports it clearly. */
export const asObject = (body: unknown): Record<string, unknown> =>
  body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : { body };

/** A time in a query: milliseconds since the epoch (digits only) or an ISO 8601 date or time. */
export const timeParam = z.string().transform((text, ctx) => {
  const ms = /^\d+$/.test(text) ? Number(text) : /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isSafeInteger(ms)) return ms;
  ctx.addIssue({ code: 'custom', message: 'expected an ISO 8601 time such as 2025-01-31T12:00:00Z, or milliseconds since the epoch' });
  return z.NEVER;
});
