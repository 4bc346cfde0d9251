/** Approval of new agents over HTTP (admin): the names waiting and the decisions remembered; allow, deny or forget a name. */
import { agentName, SwitchboardError } from '../../../shared/index.js';
import type { HubServices } from '../services.js';
import type { ApprovalRow } from '../store/approval-store.js';
import { requireIdentity, route, type Route } from './http-router.js';

const asListed = (row: ApprovalRow) => ({ ...row, decided_at: new Date(row.decided_at).toISOString() });

/** The `:name` of the path, checked like any agent name. */
function nameFrom(value: string): string {
  const parsed = agentName.safeParse(value);
  if (!parsed.success) throw new SwitchboardError('SB_ERR_VALIDATION', `invalid agent name "${value.slice(0, 100)}"`);
  return parsed.data;
}

export function approvalRoutes(s: Pick<HubServices, 'approvals'>): Route[] {
  return [
    route('listApprovals', {
      handle() {
        return { body: { status: 'ok', enabled: s.approvals.enabled, pending: s.approvals.pending(), decisions: s.approvals.decisions().map(asListed) } };
      },
    }),
    route('approveAgent', {
      handle(ctx) {
        const { approval, settled } = s.approvals.decide(nameFrom(ctx.params.name), 'approved', requireIdentity(ctx).agent);
        return { body: { status: 'ok', approval: asListed(approval), settled } };
      },
    }),
    route('denyAgent', {
      handle(ctx) {
        const { approval, settled } = s.approvals.decide(nameFrom(ctx.params.name), 'denied', requireIdentity(ctx).agent);
        return { body: { status: 'ok', approval: asListed(approval), settled } };
      },
    }),
    route('forgetApproval', {
      handle(ctx) {
        const agent = nameFrom(ctx.params.name);
        return { body: { status: 'ok', agent, forgotten: s.approvals.forget(agent, requireIdentity(ctx).agent) } };
      },
    }),
  ];
}
