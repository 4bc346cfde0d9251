/** A plain GET to a WebSocket path (`/ws`, the seeds' `/ws/chat`) is told, with 426, that it needs a WebSocket client. */
import { SwitchboardError } from '../../../shared/index.js';
import { rawRoute, type Route } from './http-router.js';

/** Public: it says only how to connect, and someone who cannot connect yet is the one who needs it. */
export function upgradeRequiredRoutes(paths: readonly string[]): Route[] {
  return paths.map((path) =>
    rawRoute({
      method: 'GET',
      path,
      access: 'public',
      handle({ req, res }) {
        // RFC 9110: a 426 names the protocol to switch to.
        res.setHeader('upgrade', 'websocket');
        res.setHeader('connection', 'Upgrade');
        const address = `ws://${req.headers.host ?? '127.0.0.1:8765'}/ws`;
        throw new SwitchboardError(
          'SB_ERR_UPGRADE_REQUIRED',
          `${path} is a WebSocket endpoint, not a page: connect a WebSocket client to ${address} with the header "Authorization: Bearer <token>" (or send {"type":"hello","token":"…"} first)`,
        );
      },
    }),
  );
}
