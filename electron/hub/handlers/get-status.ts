/** `get_status` (seed): connection statistics as `status_response`. */
import { getStatusFrame } from '../../../shared/index.js';
import { reply, type HandlerSpec } from '../ws/router.js';
import { epochSeconds } from '../../common/clock.js';
import { statusData, type StatusServices } from '../read-models/status.js';

export function getStatusHandler(s: StatusServices): HandlerSpec<typeof getStatusFrame> {
  return {
    type: 'get_status',
    schema: getStatusFrame,
    handle(ctx) {
      reply(ctx, { type: 'status_response', data: statusData(s), timestamp: epochSeconds(s.clock.now()), client_id: ctx.conn.id });
    },
  };
}
