/** `list_agents`: every agent the hub knows, with presence, offline queue depth and tasks in flight. */
import { listAgentsFrame } from '../../../shared/index.js';
import { listAgents } from '../read-models/agent-listing.js';
import { reply, type HandlerSpec } from '../ws/router.js';
import type { HubServices } from '../services.js';

export function listAgentsHandler(s: HubServices): HandlerSpec<typeof listAgentsFrame> {
  return {
    type: 'list_agents',
    schema: listAgentsFrame,
    handle(ctx) {
      reply(ctx, { type: 'list_agents_response', agents: listAgents(s) });
    },
  };
}
