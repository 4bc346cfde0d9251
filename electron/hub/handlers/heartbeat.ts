/** `heartbeat` (seed): answered with `heartbeat_response`, echoing the client's timestamp. */
import { heartbeatFrame } from '../../../shared/index.js';
import { reply, type HandlerSpec } from '../router.js';
import type { HubServices } from '../services.js';
import { epochSeconds } from '../status.js';

export function heartbeatHandler(s: HubServices): HandlerSpec<typeof heartbeatFrame> {
  return {
    type: 'heartbeat',
    schema: heartbeatFrame,
    handle(ctx) {
      reply(ctx, { type: 'heartbeat_response', timestamp: ctx.frame.timestamp ?? epochSeconds(s.clock.now()), client_id: ctx.conn.id });
    },
  };
}
