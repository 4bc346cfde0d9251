/** Interactions over HTTP: a batch POST where each invalid record is named by its index and the valid ones are kept. */
import { describeIssues, interactionRecord, MAX_INTERACTION_BATCH, SwitchboardError, type InteractionRecord } from '../../../shared/index.js';
import type { HubServices } from '../services.js';
import { requireIdentity, route, type Route } from './http-router.js';

export function metricsRoutes(s: Pick<HubServices, 'ingest'>): Route[] {
  return [
    route('postInteractions', {
      async handle(ctx) {
        const body = await ctx.body();
        // The seed's frame body, a bare record, an array, or {"interactions": [...]}.
        const records: unknown[] = Array.isArray(body)
          ? body
          : body !== null && typeof body === 'object' && Array.isArray((body as { interactions?: unknown }).interactions)
            ? (body as { interactions: unknown[] }).interactions
            : [body !== null && typeof body === 'object' && 'data' in body ? (body as { data: unknown }).data : body];
        if (records.length > MAX_INTERACTION_BATCH)
          throw new SwitchboardError('SB_ERR_VALIDATION', `at most ${MAX_INTERACTION_BATCH} interactions per request (got ${records.length})`);
        const valid: InteractionRecord[] = [];
        const errors: { index: number; message: string }[] = [];
        records.forEach((record, index) => {
          const parsed = interactionRecord.safeParse(record);
          if (parsed.success) valid.push(parsed.data);
          else errors.push({ index, message: describeIssues(parsed.error) });
        });
        const saved = valid.length === 0 ? [] : await s.ingest.record(requireIdentity(ctx).agent, valid);
        const status = errors.length === 0 ? 201 : saved.length === 0 ? 400 : 207;
        return {
          status,
          body: { status: errors.length === 0 ? 'ok' : saved.length === 0 ? 'error' : 'partial', stored: saved.length, ids: saved.map((i) => i.id), errors },
        };
      },
    }),
  ];
}
