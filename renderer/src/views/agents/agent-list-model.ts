/** Agents as listed by the hub with the presence pushes laid over them, pure. */
import type { AgentInfo, AgentListing } from '../../../../shared/index.js';

/** An agent as `GET /api/agents` lists it, or as a presence push brought it before the listing did (without the listing's count and processes). */
export type ListedAgent = AgentInfo & Partial<Pick<AgentListing, 'tasks_in_flight' | 'processes'>>;

/**
 * Presence pushes carry `online`, `connections` and `last_seen` but not the listing's counts, so a pushed
 * copy is merged into the listed one, unless the listing saw the agent later than the push did.
 */
export function overlayAgents(listed: readonly ListedAgent[], pushed: Readonly<Record<string, AgentInfo>>): ListedAgent[] {
  const byId = new Map<string, ListedAgent>();
  for (const agent of listed) byId.set(agentKey(agent), agent);
  for (const agent of Object.values(pushed)) {
    const known = byId.get(agent.id);
    if (known === undefined) byId.set(agent.id, agent);
    else if ((agent.last_seen ?? '') >= (known.last_seen ?? '')) byId.set(agent.id, { ...known, ...agent });
  }
  return [...byId.values()].sort(byPresenceThenName);
}

/**
 * The agents apart from the dashboard's own connection — the person, as `self` (the session's agent,
 * `user`) — which is shown as the dashboard, not listed as an agent nor offered as a redrive target.
 */
export function apartFromDashboard(agents: readonly ListedAgent[], self: string | undefined): { agents: ListedAgent[]; dashboard: ListedAgent | undefined } {
  return { agents: agents.filter((agent) => agent.id !== self), dashboard: agents.find((agent) => agent.id === self) };
}

/** One agent in a listing: its name on this hub, its name and hub for one online on another federated hub. */
export function agentKey(agent: AgentInfo): string {
  return agent.hub === undefined ? agent.id : `${agent.id}@${agent.hub}`;
}

/** Online agents first, then by name, this hub's before the other hubs'. */
function byPresenceThenName(a: AgentInfo, b: AgentInfo): number {
  if (a.online !== b.online) return a.online ? -1 : 1;
  return a.id.localeCompare(b.id) || (a.hub ?? '').localeCompare(b.hub ?? '');
}
