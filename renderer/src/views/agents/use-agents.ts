/** The hub's agents, live: the listing refreshed now and then, presence pushes applied the moment they arrive. */
import { useMemo } from 'react';
import { httpRoutes } from '../../../../shared/index.js';
import type { HubRequestError } from '../../api/http.js';
import { useHubQuery } from '../../components/use-hub-query.js';
import { useStore } from '../../store/store.js';
import { overlayAgents, type ListedAgent } from './agent-list-model.js';

export interface AgentList {
  agents: ListedAgent[];
  loaded: boolean;
  error: HubRequestError | undefined;
}

/** Queue depths and tasks in flight are not pushed; the listing is read again this often for them. */
const REFRESH_MS = 5000;

export function useAgents(): AgentList {
  const query = useHubQuery(httpRoutes.listAgents, { refreshMs: REFRESH_MS });
  const pushed = useStore((s) => s.agents);
  const listed = query.data?.agents;
  const agents = useMemo(() => overlayAgents(listed ?? [], pushed), [listed, pushed]);
  return { agents, loaded: query.data !== undefined, error: query.error };
}
