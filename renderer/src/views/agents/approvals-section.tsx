/**
 * The agent names the person allowed or denied (approveNewAgents), for the admin: a denied name can be
 * allowed after all, an allowed one denied, and either decision forgotten so the name asks again.
 */
import { httpRoutes, type AgentApproval } from '../../../../shared/index.js';
import { api } from '../../api/http.js';
import { formatAgo, formatDateTime } from '../../components/format.js';
import { HubErrorText } from '../../components/hub-error-text.js';
import { useHubAction } from '../../components/use-hub-action.js';
import { useHubQuery } from '../../components/use-hub-query.js';
import { useStore } from '../../store/store.js';

export function ApprovalsSection() {
  // Decisions made from the banner change the waiting list: fetch again when it does.
  const waiting = useStore((s) => s.approvals);
  const query = useHubQuery(httpRoutes.listApprovals, { refreshOn: waiting });
  const data = query.data;
  return (
    <section className="approvals-section" aria-labelledby="approvals-title" data-testid="approvals-section">
      <h2 id="approvals-title">New agents</h2>
      <p className="muted">
        {data?.enabled === true
          ? 'A new agent name waits until you allow it. Names decided before:'
          : 'Approval of new agents is off (Settings → New agents): every name comes in and is remembered as allowed.'}
      </p>
      <HubErrorText error={query.error} />
      {data === undefined || data.decisions.length === 0 ? null : (
        <div className="table-scroll">
          <table className="approvals-table">
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Decision</th>
                <th scope="col">By</th>
                <th scope="col">When</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.decisions.map((approval) => (
                <ApprovalRow key={approval.agent} approval={approval} onChanged={query.reload} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ApprovalRow({ approval, onChanged }: { approval: AgentApproval; onChanged(): void }) {
  const action = useHubAction();
  const params = { params: { name: approval.agent } };
  const run = (request: () => Promise<unknown>): void => {
    void action.run(request).then((done) => {
      if (done !== undefined) onChanged();
    });
  };
  const approved = approval.decision === 'approved';
  return (
    <tr data-testid="approval-row" data-agent={approval.agent}>
      <td className="mono">{approval.agent}</td>
      <td>{approved ? <span className="chip chip-ok">allowed</span> : <span className="chip chip-danger">denied</span>}</td>
      <td>{approval.decided_by}</td>
      <td title={formatDateTime(approval.decided_at)}>{formatAgo(approval.decided_at)}</td>
      <td>
        <div className="approval-row-actions">
          {approved ? (
            <button type="button" className="danger" disabled={action.busy} onClick={() => run(() => api(httpRoutes.denyAgent, params))}>
              Deny
            </button>
          ) : (
            <button type="button" disabled={action.busy} onClick={() => run(() => api(httpRoutes.approveAgent, params))}>
              Allow
            </button>
          )}
          <button
            type="button"
            disabled={action.busy}
            onClick={() => run(() => api(httpRoutes.forgetApproval, params))}
            title="Ask again at its next connection"
          >
            Forget
          </button>
        </div>
        <HubErrorText error={action.error} />
      </td>
    </tr>
  );
}
