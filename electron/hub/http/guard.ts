/**
 * Host, Origin and fetch-metadata checks for every request and WebSocket upgrade. A page in the person's
 * browser must not reach the hub: a foreign Host (or absolute-form target) means DNS rebinding, a foreign
 * Origin cross-site request forgery or WebSocket hijacking, and a session cookie sent along by another
 * site's page the same, even when the browser sent no Origin.
 */
import type { IncomingMessage } from 'node:http';
import { SwitchboardError } from '../../../shared/index.js';
import type { HubConfig } from '../config.js';
import { refuseForeignFetch } from './fetch-metadata.js';

export interface Guard {
  check(req: IncomingMessage): void;
  /** The origins the hub's own pages are served from. */
  ownOrigins(): string[];
}

/** The host (with port) an absolute-form request target names, such as `GET http://evil.example/ HTTP/1.1`. */
function targetHost(target: string | undefined): string | undefined {
  if (target === undefined || target.startsWith('/') || target === '*') return undefined;
  try {
    const url = new URL(target);
    return `${url.hostname}:${url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port}`;
  } catch {
    throw new SwitchboardError('SB_ERR_HOST', 'the request target is neither a path nor an absolute URL');
  }
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
      const allowedHosts = [...hostNames().map((name) => `${name}:${port()}`), ...config.allowedHosts.map((h) => h.toLowerCase())];
      const accepted = (host: string | undefined): boolean => host !== undefined && allowedHosts.includes(host.toLowerCase());
      const host = req.headers.host;
      if (!accepted(host)) throw new SwitchboardError('SB_ERR_HOST', `Host "${host ?? ''}" is not this hub's address (use ${allowedHosts[0] ?? ''})`);
      // An absolute-form target wins over Host wherever a server or proxy reads it, so it must name the hub too.
      const target = targetHost(req.url);
      if (target !== undefined && !accepted(target)) {
        throw new SwitchboardError('SB_ERR_HOST', `the request target names "${target}", which is not this hub's address (use ${allowedHosts[0] ?? ''})`);
      }
      const origin = req.headers.origin;
      if (origin !== undefined && !ownOrigins().includes(origin) && !config.allowedOrigins.includes(origin)) {
        throw new SwitchboardError('SB_ERR_ORIGIN', `requests from Origin "${origin}" are not allowed; add it to allowedOrigins to permit it`);
      }
      refuseForeignFetch(req);
    },
  };
}
