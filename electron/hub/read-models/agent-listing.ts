/**
 * Agents as `GET /api/agents` and `list_agents` show them: presence, offline queue depth, tasks in flight and
 * the process behind each connection, then the agents online on other federated hubs, each with its `hub`.
 */
import type { AgentListing } from '../../../shared/index.js';
import type { HubServices } from '../services.js';

/** What a listing is read from. */
export type AgentListingServices = Pick<HubServices, 'relay' | 'offlineQueue' | 'presence' | 'federation' | 'peerProcesses'>;

export function listAgents(s: AgentListingServices): AgentListing[] {
  const held = s.relay.tasks.heldCounts();
  const local = s.offlineQueue.withDepths(s.presence.list()).map((agent) => ({
    ...agent,
    tasks_in_flight: held.get(agent.id) ?? 0,
    processes: [...s.presence.connectionsOf(agent.id)].map((conn) => s.peerProcesses.of(conn)),
  }));
  return [...local, ...s.federation.remoteAgents().map((agent) => ({ ...agent, queue_depth: 0, tasks_in_flight: 0, processes: [] }))];
}
