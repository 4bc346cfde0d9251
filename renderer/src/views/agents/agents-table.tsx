/** Every agent the hub knows: who it is, whether it is online and how busy. */
import { formatAgo, formatCount, formatDateTime } from '../../components/format.js';
import { agentKey, type ListedAgent } from './agent-list-model.js';
import { processLabels } from './process-label.js';

export function AgentsTable({ agents }: { agents: readonly ListedAgent[] }) {
  return (
    <div className="table-scroll">
      <table className="agents-table">
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Display name · kind</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Connections
            </th>
            <th scope="col">Process</th>
            <th scope="col">Last seen</th>
            <th scope="col" className="num">
              Tasks in flight
            </th>
            <th scope="col" className="num">
              Queue depth
            </th>
          </tr>
        </thead>
        <tbody>
          {agents.map((agent) => (
            <AgentRow key={agentKey(agent)} agent={agent} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AgentRow({ agent }: { agent: ListedAgent }) {
  return (
    <tr data-testid="agent-row" data-agent={agent.id} data-online={agent.online} data-hub={agent.hub}>
      <td className="mono">
        {agent.id}
        {agent.hub === undefined ? null : (
          <span className="chip chip-muted agent-hub" title="Online on another federated hub">
            on {agent.hub}
          </span>
        )}
      </td>
      <td>
        {agent.display_name ?? <span className="muted">—</span>}
        {agent.kind === null ? null : <span className="chip chip-muted agent-kind">{agent.kind}</span>}
        {agent.capabilities.length === 0 ? null : <div className="muted agent-caps">{agent.capabilities.join(', ')}</div>}
      </td>
      <td className="agent-status">
        <span className={agent.online ? 'presence-dot online' : 'presence-dot'} aria-hidden="true" />
        {agent.online ? 'Online' : 'Offline'}
      </td>
      <td className="num">{formatCount(agent.connections)}</td>
      <td data-testid="agent-process">
        <AgentProcesses agent={agent} />
      </td>
      <td className="agent-seen" title={formatDateTime(agent.last_seen)}>
        {formatAgo(agent.last_seen)}
      </td>
      <td className="num">{agent.tasks_in_flight === undefined ? '—' : formatCount(agent.tasks_in_flight)}</td>
      <td className="num">{agent.queue_depth === undefined ? '—' : formatCount(agent.queue_depth)}</td>
    </tr>
  );
}

/** The processes behind an online agent's connections; none for one offline, or listed only by a presence push so far. */
function AgentProcesses({ agent }: { agent: ListedAgent }) {
  if (!agent.online || agent.processes === undefined || agent.processes.length === 0) return <span className="muted">—</span>;
  return processLabels(agent.processes).map((label) => (
    <div key={label.text + label.title} className={label.text === 'unknown' ? 'muted agent-process' : 'mono agent-process'} title={label.title}>
      {label.command === null ? (
        label.text
      ) : (
        <>
          <span className="agent-command">{label.command}</span>
          {label.text.slice(label.command.length)}
        </>
      )}
    </div>
  ));
}
