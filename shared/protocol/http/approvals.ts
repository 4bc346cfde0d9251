/**
 * Approval of new agents (the `approveNewAgents` setting) over HTTP, admin only: the names waiting for the
 * person, the decisions remembered, and allowing, denying or forgetting a name.
 */
import { z } from 'zod';
import { isoTime } from '../common.js';
import { okStatus } from './common.js';
import { connectionProcess } from './agents.js';
import { defineRoute } from './route.js';
import { shortCommand } from '../short-command.js';

/** An agent name that asked to come in and waits for the person's decision. */
export const approvalRequest = z.object({
  agent: z.string(),
  /** The process behind its first connection or request, when the hub could find it. */
  process: connectionProcess,
  /** `planner (python3 planner.py, pid 4242) wants to connect`: the prompt as the tray and the dashboard show it. */
  prompt: z.string(),
  /** Its connections waiting now (an HTTP request is refused at once and waits in none). */
  waiting: z.number().int(),
  requested_at: isoTime,
  /** When the request is dropped (its waiting connections time out) unless a person decides first. */
  expires_at: isoTime,
});
export type ApprovalRequest = z.output<typeof approvalRequest>;

export const approvalDecision = z.enum(['approved', 'denied']);

/** A decision the hub remembers for an agent name. */
export const agentApproval = z.object({
  agent: z.string(),
  decision: approvalDecision,
  /** Who decided: an admin's agent name, or `known before approval` / `approval off` for names let in without asking. */
  decided_by: z.string(),
  decided_at: isoTime,
});
export type AgentApproval = z.output<typeof agentApproval>;

export const listApprovalsResponse = z.object({
  status: okStatus,
  /** Whether new agent names wait for approval now. */
  enabled: z.boolean(),
  pending: z.array(approvalRequest),
  decisions: z.array(agentApproval),
});
export type ListApprovalsResponse = z.output<typeof listApprovalsResponse>;

/** `settled`: the connections that were waiting for this name and were let in (approve) or closed (deny). */
export const decideApprovalResponse = z.object({ status: okStatus, approval: agentApproval, settled: z.number().int() });

/** `forgotten` is false when the name had no decision. */
export const forgetApprovalResponse = z.object({ status: okStatus, agent: z.string(), forgotten: z.boolean() });

export const approvalApi = {
  listApprovals: defineRoute({ method: 'GET', path: '/api/approvals', access: 'admin', ok: [200], response: listApprovalsResponse }),
  approveAgent: defineRoute({ method: 'POST', path: '/api/agents/:name/approve', access: 'admin', ok: [200], response: decideApprovalResponse }),
  denyAgent: defineRoute({ method: 'POST', path: '/api/agents/:name/deny', access: 'admin', ok: [200], response: decideApprovalResponse }),
  forgetApproval: defineRoute({ method: 'DELETE', path: '/api/approvals/:name', access: 'admin', ok: [200], response: forgetApprovalResponse }),
};

/** Pushed to connections watching alerts (the dashboard) whenever the waiting names change: all of them, oldest first. */
export interface ApprovalRequestsFrame {
  type: 'approval_requests';
  pending: ApprovalRequest[];
}

/** `planner (python3 planner.py, pid 4242) wants to connect`: one line naming the agent and the process behind it. */
export function approvalPrompt(agent: string, process: z.output<typeof connectionProcess>): string {
  if ('unknown' in process) return `${agent} (unknown process) wants to connect`;
  const command = process.command ?? process.executable;
  return `${agent} (${command === null ? '' : `${shortCommand(command)}, `}pid ${process.pid}) wants to connect`;
}
