/** A task's lineage and a message's effects over HTTP, for agents, the person and the dashboard. */
import { SwitchboardError } from '../../../shared/index.js';
import type { HubServices } from '../services.js';
import { requireIdentity, route, type Route } from './http-router.js';

export function lineageRoutes(s: Pick<HubServices, 'lineage'>): Route[] {
  return [
    route('taskLineage', {
      handle(ctx) {
        return { body: s.lineage.tasks.lineage(requireIdentity(ctx), ctx.params.id) };
      },
    }),
    route('messageEffects', {
      handle(ctx) {
        const { seq } = ctx.params;
        if (!/^[1-9]\d{0,15}$/.test(seq)) throw new SwitchboardError('SB_ERR_NOT_FOUND', `no message ${seq}`);
        return { body: s.lineage.messages.effects(requireIdentity(ctx), Number(seq)) };
      },
    }),
  ];
}
