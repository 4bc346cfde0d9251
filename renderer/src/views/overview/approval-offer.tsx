/**
 * The first-run offer of approval of new agents: a switch in the getting-started card, for the admin. It
 * saves `approveNewAgents` to settings.json, where the hub applies it at once.
 */
import { httpRoutes } from '../../../../shared/index.js';
import { api } from '../../api/http.js';
import { HubErrorText } from '../../components/hub-error-text.js';
import { useHubAction } from '../../components/use-hub-action.js';
import { useHubQuery } from '../../components/use-hub-query.js';

export function ApprovalOffer() {
  const approvals = useHubQuery(httpRoutes.listApprovals);
  const action = useHubAction();
  const enabled = approvals.data?.enabled;
  if (enabled === undefined) return null;
  const toggle = (on: boolean): void => {
    void action.run(() => api(httpRoutes.saveSettings, { body: { approveNewAgents: on } })).then(() => approvals.reload());
  };
  return (
    <div className="approval-offer" data-testid="approval-offer">
      <label>
        <input type="checkbox" checked={enabled} disabled={action.busy} onChange={(event) => toggle(event.target.checked)} /> Ask me before a new agent connects
      </label>
      <p className="muted">
        Its first connection waits until you allow it, from a notification or the banner at the top of this window. You can change this in Settings.
      </p>
      <HubErrorText error={action.error} />
    </div>
  );
}
