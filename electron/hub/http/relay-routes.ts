/** The seed's relay API, exactly: send a task, report its result, and read its status (X-Relay-API-Key or Bearer). */
import { relayCallbackRequest, relaySendRequest, seedStatus, SwitchboardError } from '../../../shared/index.js';
import type { HubServices } from '../services.js';
import { requireIdentity, route, type Route } from './http-router.js';
import { asObject, parseWith } from './parse.js';

/** The agent a request speaks for: the token's agent, or with the admin token the one the body names. */
function speaker(identity: { agent: string; admin: boolean }, named: string | undefined, field: string): string {
  if (named === undefined || named === identity.agent) return identity.agent;
  if (!identity.admin) throw new SwitchboardError('SB_ERR_FORBIDDEN', `this token belongs to agent "${identity.agent}" and cannot send as ${field} "${named}"`);
  return named;
}

export function relayRoutes(s: Pick<HubServices, 'relay'>): Route[] {
  return [
    route('relaySend', {
      async handle(ctx) {
        const identity = requireIdentity(ctx);
        const body = parseWith(relaySendRequest, asObject(await ctx.body()), 'relay send');
        const { from, ...task } = body;
        const change = await s.relay.service.create(speaker(identity, from, 'from'), task, identity.admin);
        return { body: { status: 'ok', task_id: change.task.task_id, ...(change.changed ? {} : { duplicate: true }) } };
      },
    }),
    route('relayCallback', {
      async handle(ctx) {
        const identity = requireIdentity(ctx);
        const body = parseWith(relayCallbackRequest, asObject(await ctx.body()), 'relay callback');
        // The seed's workers share one key (the admin token): with it, the child it names may finish the task whoever holds it.
        const actor = { agent: speaker(identity, body.child_id, 'child_id'), admin: identity.admin };
        const status = body.status === 'failed' ? 'failed' : 'completed';
        const change = await s.relay.service.result(actor, body.task_id, status, body.result, body.error);
        return { body: { status: 'ok', task_id: body.task_id, task_status: seedStatus(change.task.state), changed: change.changed } };
      },
    }),
    route('relayTaskStatus', {
      handle(ctx) {
        const task = s.relay.reader.get(requireIdentity(ctx), ctx.params.id);
        return {
          body: {
            status: 'ok',
            task_id: task.task_id,
            task_status: seedStatus(task.state),
            state: task.state,
            assigned_to: task.assigned_to,
            attempts: task.attempts,
            result: task.result,
            error: task.error,
          },
        };
      },
    }),
  ];
}
