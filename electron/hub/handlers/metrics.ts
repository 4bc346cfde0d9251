/** `metrics` (seed): one interaction, stored, acknowledged after the commit, and fed to rollups and alerts. */
import { metricsFrame } from '../../../shared/index.js';
import { identityOf, reply, type HandlerSpec } from '../ws/router.js';
import type { HubServices } from '../services.js';

export function metricsHandler(s: Pick<HubServices, 'ingest'>): HandlerSpec<typeof metricsFrame> {
  return {
    type: 'metrics',
    schema: metricsFrame,
    async handle(ctx) {
      const [saved] = await s.ingest.record(identityOf(ctx).agent, [ctx.frame.data]);
      reply(ctx, { type: 'ack', interaction_id: saved?.id });
    },
  };
}
