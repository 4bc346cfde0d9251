/** Which agents are online (in memory, from their open connections) and telling interested clients. */
import type { AgentInfo, PresenceFrame } from '../../../shared/protocol/index.js';
import type { Connection } from '../ws/connection.js';
import type { AgentProfile, AgentRow, AgentStore } from '../store/agent-store.js';

export type Presence = ReturnType<typeof createPresence>;

/** An agent working over HTTP only has its last-seen written at most this often. */
const HTTP_SEEN_EVERY_MS = 60_000;

export function createPresence(deps: { agents: AgentStore; now: () => number }) {
  const byAgent = new Map<string, Set<Connection>>();
  const watchers = new Set<Connection>();
  const none: ReadonlySet<Connection> = new Set();
  /** Profiles of the agents online, so the relay can match roles and capabilities without a query. */
  const profiles = new Map<string, AgentRow>();
  /** When each agent working over HTTP last had its last-seen written. */
  const httpSeen = new Map<string, number>();
  const listeners = { online: new Set<(agent: string) => void>(), offline: new Set<(agent: string) => void>(), joined: new Set<(agent: string) => void>() };

  const info = (row: AgentRow): AgentInfo => ({
    id: row.id,
    display_name: row.display_name,
    kind: row.kind,
    capabilities: row.capabilities,
    online: byAgent.has(row.id),
    connections: byAgent.get(row.id)?.size ?? 0,
    last_seen: row.last_seen === null ? null : new Date(row.last_seen).toISOString(),
  });

  const announce = (type: PresenceFrame['type'], agent: string): void => {
    if (watchers.size === 0) return;
    const row = deps.agents.get(agent) ?? { id: agent, display_name: null, kind: null, capabilities: [], last_seen: deps.now() };
    const data = JSON.stringify({ type, agent: info(row) } satisfies PresenceFrame);
    for (const conn of watchers) conn.send(data);
  };

  return {
    /** An authenticated connection joined; the first one of an agent brings it online. */
    join(conn: Connection, agent: string, profile: AgentProfile): void {
      let set = byAgent.get(agent);
      const first = set === undefined;
      if (set === undefined) byAgent.set(agent, (set = new Set()));
      set.add(conn);
      const now = deps.now();
      const stored = deps.agents.seen(agent, profile, now);
      // A hub that cannot write keeps the profile the agent just sent.
      const row = (stored ? deps.agents.get(agent) : undefined) ?? {
        id: agent,
        display_name: profile.display_name ?? null,
        kind: profile.kind ?? null,
        capabilities: profile.capabilities ?? [],
        last_seen: now,
      };
      profiles.set(agent, row);
      if (first) {
        announce('agent_online', agent);
        for (const listener of listeners.online) listener(agent);
      }
      for (const listener of listeners.joined) listener(agent);
    },
    /** A connection closed; the last one of an agent takes it offline. */
    leave(conn: Connection): void {
      watchers.delete(conn);
      const agent = conn.identity?.agent;
      if (agent === undefined) return;
      const set = byAgent.get(agent);
      if (set === undefined || !set.delete(conn)) return;
      deps.agents.touch(agent, deps.now());
      if (set.size === 0) {
        byAgent.delete(agent);
        profiles.delete(agent);
        announce('agent_offline', agent);
        for (const listener of listeners.offline) listener(agent);
      }
    },
    /**
     * An agent made a request over HTTP. One that never opens a WebSocket (it only reports metrics, or only
     * posts messages) is still an agent the hub knows: listed, with when it was last seen.
     */
    sawOverHttp(agent: string): void {
      const now = deps.now();
      const last = httpSeen.get(agent);
      if (last !== undefined && now - last < HTTP_SEEN_EVERY_MS) return;
      if (deps.agents.seen(agent, {}, now)) httpSeen.set(agent, now);
    },
    watch(conn: Connection, on: boolean): void {
      if (on) watchers.add(conn);
      else watchers.delete(conn);
    },
    connectionsOf(agent: string): ReadonlySet<Connection> {
      return byAgent.get(agent) ?? none;
    },
    /** The online agents and their profiles. */
    online(): ReadonlyMap<string, AgentRow> {
      return profiles;
    },
    /**
     * Called when an agent's first connection opens (`online`), its last one closes (`offline`), or any
     * of its connections opens (`joined`: its kind or capabilities may have changed).
     */
    on(event: 'online' | 'offline' | 'joined', listener: (agent: string) => void): void {
      listeners[event].add(listener);
    },
    onlineCount(): number {
      return byAgent.size;
    },
    list(): AgentInfo[] {
      return deps.agents.list().map(info);
    },
  };
}
