/**
 * Across the top of every view while agent names wait for the person to allow them (approveNewAgents):
 * "planner (python3 planner.py, pid 4242) wants to connect — Allow / Deny". The list is pushed live.
 */
import { useState } from 'react';
import { httpRoutes, type ApprovalRequest } from '../../../shared/index.js';
import { api } from '../api/http.js';
import { useStore } from '../store/store.js';
import { HubErrorText } from './hub-error-text.js';
import { useHubAction } from './use-hub-action.js';

/** Requests shown one per line; more wait behind a count. */
const SHOWN = 3;

export function ApprovalBanner() {
  const pending = useStore((s) => s.approvals);
  if (pending.length === 0) return null;
  const hidden = pending.length - SHOWN;
  return (
    <section className="approval-banner" role="alert" aria-label="Agents waiting for approval" data-testid="approval-banner" id="approvals">
      <h2>{pending.length === 1 ? 'A new agent wants to connect' : `${pending.length} new agents want to connect`}</h2>
      <ul>
        {pending.slice(0, SHOWN).map((request) => (
          <ApprovalLine key={request.agent} request={request} />
        ))}
      </ul>
      {hidden > 0 ? <p className="muted">and {hidden} more: allow or deny the ones above first</p> : null}
    </section>
  );
}

function ApprovalLine({ request }: { request: ApprovalRequest }) {
  const action = useHubAction();
  const [asked, setAsked] = useState(false);
  const decide = (decision: 'approve' | 'deny'): void => {
    setAsked(true);
    const route = decision === 'approve' ? httpRoutes.approveAgent : httpRoutes.denyAgent;
    void action.run(() => api(route, { params: { name: request.agent } })).then(() => setAsked(false));
  };
  return (
    <li data-agent={request.agent}>
      <span className="approval-prompt">{request.prompt}</span>
      {request.waiting > 1 ? <span className="muted"> ({request.waiting} connections waiting)</span> : null}
      <span className="approval-actions">
        <button type="button" className="primary" disabled={asked || action.busy} onClick={() => decide('approve')}>
          Allow
        </button>
        <button type="button" className="danger" disabled={asked || action.busy} onClick={() => decide('deny')}>
          Deny
        </button>
      </span>
      <HubErrorText error={action.error} />
    </li>
  );
}
