/** Request validation for HTTP routes: a zod schema, and an error naming the field when it does not fit. */
import type { z } from 'zod';
import { describeIssues, SwitchboardError } from '../../../shared/index.js';

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new SwitchboardError('SB_ERR_VALIDATION', `invalid ${what}: ${describeIssues(result.error)}`);
  return result.data;
}

/** A JSON body as an object; anything else is wrapped so the schema reports it clearly. */
export const asObject = (body: unknown): Record<string, unknown> =>
  body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : { body };
