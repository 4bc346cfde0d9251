/**
 * Host and Origin checks for every request and WebSocket upgrade. A page in the person's browser must
 * not reach the hub: a foreign Host means DNS rebinding, a foreign Origin cross-site request forgery or
 * WebSocket hijacking.
 */
import type { IncomingMessage } from 'node:http';
import { SwitchboardError } from '../../../shared/index.js';
import type { HubConfig } from '../config.js';

export interface Guard {
  check(req: IncomingMessage): void;
  /** The origins the hub's own pages are served from. */
  ownOrigins(): string[];
}

export function createGuard(config: HubConfig, port: () => number): Guard {
  const hostNames = (): string[] => {
    const names = new Set(['127.0.0.1', 'localhost', '[::1]', config.host.includes(':') ? `[${config.host}]` : config.host]);
    return [...names];
  };
  const ownOrigins = (): string[] => hostNames().map((name) => `http://${name}:${port()}`);

  return {
    ownOrigins,
    check(req) {
      const host = req.headers.host;
      const allowedHosts = [...hostNames().map((name) => `${name}:${port()}`), ...config.allowedHosts.map((h) => h.toLowerCase())];
      if (host === undefined || !allowedHosts.includes(host.toLowerCase())) {
        throw new SwitchboardError('SB_ERR_HOST', `Host "${host ?? ''}" is not this hub's address (use ${allowedHosts[0] ?? ''})`);
      }
      const origin = req.headers.origin;
      if (origin !== undefined && !ownOrigins().includes(origin) && !config.allowedOrigins.includes(origin)) {
        throw new SwitchboardError('SB_ERR_ORIGIN', `requests from Origin "${origin}" are not allowed; add it to allowedOrigins to permit it`);
      }
    },
  };
}
