/** `ping` (seed): answered with `pong`, echoing the client's timestamp. */
import { pingFrame } from '../../../shared/index.js';
import { reply, type HandlerSpec } from '../router.js';
import type { HubServices } from '../services.js';
import { epochSeconds } from '../status.js';

export function pingHandler(s: HubServices): HandlerSpec<typeof pingFrame> {
  return {
    type: 'ping',
    schema: pingFrame,
    handle(ctx) {
      reply(ctx, { type: 'pong', timestamp: ctx.frame.timestamp ?? epochSeconds(s.clock.now()), client_id: ctx.conn.id });
    },
  };
}
