/** `heartbeat` and `ping` (seed): answered with `heartbeat_response` and `pong`, echoing the client's timestamp. */
import { heartbeatFrame, pingFrame } from '../../../shared/index.js';
import { reply, type HandlerSpec } from '../ws/router.js';
import type { HubServices } from '../services.js';
import { epochSeconds } from '../../common/clock.js';

type KeepaliveServices = Pick<HubServices, 'clock'>;

function echoHandler<S extends typeof heartbeatFrame | typeof pingFrame>(s: KeepaliveServices, schema: S, type: string, replyType: string): HandlerSpec<S> {
  return {
    type,
    schema,
    handle(ctx) {
      reply(ctx, { type: replyType, timestamp: ctx.frame.timestamp ?? epochSeconds(s.clock.now()), client_id: ctx.conn.id });
    },
  };
}

export const heartbeatHandler = (s: KeepaliveServices): HandlerSpec<typeof heartbeatFrame> => echoHandler(s, heartbeatFrame, 'heartbeat', 'heartbeat_response');
export const pingHandler = (s: KeepaliveServices): HandlerSpec<typeof pingFrame> => echoHandler(s, pingFrame, 'ping', 'pong');
