/** `list_agents`: every agent the hub knows, with presence, offline queue depth and tasks in flight. */
import { listAgentsFrame } from '../../../shared/index.js';
import { listAgents, type AgentListingServices } from '../read-models/agent-listing.js';
import { identityOf, reply, type HandlerSpec } from '../ws/router.js';

export function listAgentsHandler(s: AgentListingServices): HandlerSpec<typeof listAgentsFrame> {
  return {
    type: 'list_agents',
    schema: listAgentsFrame,
    handle(ctx) {
      reply(ctx, { type: 'list_agents_response', agents: listAgents(s, identityOf(ctx)) });
    },
  };
}
