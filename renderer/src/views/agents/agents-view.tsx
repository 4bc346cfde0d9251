/** The agents view: every agent with its presence and load, live; and for the admin, the tokens agents connect with. */
import { EmptyState } from '../../components/empty-state.js';
import { HubErrorText } from '../../components/hub-error-text.js';
import { useStore } from '../../store/store.js';
import { apartFromDashboard } from './agent-list-model.js';
import { AgentsTable } from './agents-table.js';
import { ApprovalsSection } from './approvals-section.js';
import { TokensSection } from './tokens-section.js';
import { useAgents } from './use-agents.js';
import './agents.css';

export function AgentsView() {
  const { agents: all, loaded, error } = useAgents();
  const admin = useStore((s) => s.session?.admin === true);
  const self = useStore((s) => s.session?.agent);
  const { agents, dashboard } = apartFromDashboard(all, self);
  const online = agents.filter((agent) => agent.online).length;

  return (
    <div className="agents-view">
      <section aria-label="Agents">
        {agents.length === 0 ? null : (
          <p className="muted agents-online" data-testid="agents-online">
            {online} of {agents.length} online
          </p>
        )}
        {dashboard === undefined ? null : (
          <p className="muted agents-dashboard" data-testid="agents-dashboard">
            The dashboard is connected as <code>{dashboard.id}</code>
            {dashboard.connections > 1 ? ` (${dashboard.connections} windows)` : ''}; what you send here comes from <code>{dashboard.id}</code>.
          </p>
        )}
        <HubErrorText error={error} />
        {!loaded && agents.length === 0 ? null : agents.length === 0 ? (
          <EmptyState title="No agents yet">
            Run <code>npm run demo</code> or connect one with the SDK: <code>{"connect({ agent: 'planner' })"}</code> (see the README).
          </EmptyState>
        ) : (
          <AgentsTable agents={agents} />
        )}
      </section>
      {admin ? <TokensSection agentIds={all.map((agent) => agent.id)} /> : null}
      {admin ? <ApprovalsSection /> : null}
    </div>
  );
}
