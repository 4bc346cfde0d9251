/**
 * Agents as `GET /api/agents` and `list_agents` show them: presence, offline queue depth, tasks in flight and
 * the process behind each connection, then the agents online on other federated hubs, each with its `hub`.
 */
import type { AgentListing, ConnectionProcess } from '../../../shared/index.js';
import type { HubServices } from '../services.js';

/** What a listing is read from. */
export type AgentListingServices = Pick<HubServices, 'relay' | 'offlineQueue' | 'presence' | 'federation' | 'peerProcesses'>;

/** @param viewer who asks: the command lines of other agents' processes (which may hold secrets) are an admin's to see. */
export function listAgents(s: AgentListingServices, viewer: { agent: string; admin: boolean }): AgentListing[] {
  const held = s.relay.tasks.heldCounts();
  const shown = (agent: string, found: ConnectionProcess): ConnectionProcess =>
    'unknown' in found || viewer.admin || viewer.agent === agent ? found : { pid: found.pid, command: null, executable: null };
  const local = s.offlineQueue.withDepths(s.presence.list()).map((agent) => ({
    ...agent,
    tasks_in_flight: held.get(agent.id) ?? 0,
    processes: [...s.presence.connectionsOf(agent.id)].map((conn) => shown(agent.id, s.peerProcesses.of(conn))),
  }));
  return [...local, ...s.federation.remoteAgents().map((agent) => ({ ...agent, queue_depth: 0, tasks_in_flight: 0, processes: [] }))];
}
