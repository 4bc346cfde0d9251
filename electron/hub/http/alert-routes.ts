/** Alerts over HTTP (admin token): the list newest first, acknowledge, and the alert settings (read, update, import the seed's file). */
import { z } from 'zod';
import { listAlertsQuery, SwitchboardError } from '../../../shared/index.js';
import { applyUpdate, importSeed } from '../alerts/alert-config.js';
import type { HubServices } from '../services.js';
import { requireIdentity, route, type Route } from './http-router.js';
import { parseWith } from './parse.js';

const alertId = z.object({ id: z.coerce.number().int().min(1) });

export function alertRoutes(s: Pick<HubServices, 'alerts' | 'callbackPolicy'>): Route[] {
  return [
    route('listAlerts', {
      handle(ctx) {
        const { state, limit } = parseWith(listAlertsQuery, Object.fromEntries(ctx.query), 'query');
        return { body: { status: 'ok', alerts: s.alerts.list(state, limit), counts: s.alerts.counts() } };
      },
    }),
    route('acknowledgeAlert', {
      handle(ctx) {
        const { id } = parseWith(alertId, ctx.params, 'alert id');
        const alert = s.alerts.acknowledge(id, requireIdentity(ctx).agent);
        if (alert === undefined) throw new SwitchboardError('SB_ERR_NOT_FOUND', `no alert ${id}`);
        return { body: { status: 'ok', alert } };
      },
    }),
    route('alertConfig', {
      handle() {
        return { body: { status: 'ok', config: s.alerts.config } };
      },
    }),
    route('updateAlertConfig', {
      async handle(ctx) {
        const config = applyUpdate(s.alerts.config, await ctx.body(), s.callbackPolicy);
        s.alerts.setConfig(config);
        return { body: { status: 'ok', config } };
      },
    }),
    route('importAlertConfig', {
      async handle(ctx) {
        const { config, ignored } = importSeed(s.alerts.config, await ctx.body(), s.callbackPolicy);
        s.alerts.setConfig(config);
        return { body: { status: 'ok', config, ignored } };
      },
    }),
  ];
}
