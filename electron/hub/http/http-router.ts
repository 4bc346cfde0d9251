/** A tiny HTTP router: method + path pattern, auth level, and errors turned into JSON in one place. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { agentName, SwitchboardError } from '../../../shared/index.js';
import type { Identity } from '../ws/connection.js';
import type { HubServices } from '../services.js';
import type { Guard } from './guard.js';
import { readJson, sendError, sendJson } from './respond.js';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Undefined only on public routes. */
  identity: Identity | undefined;
  body(): Promise<unknown>;
}

export interface RouteResult {
  status?: number;
  body: unknown;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** A path such as `/api/conversations/:id/messages`. */
  path: string;
  access: 'public' | 'token' | 'admin';
  handle(ctx: RouteContext): RouteResult | Promise<RouteResult>;
}

interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path.replace(/:([a-z_]+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { ...route, pattern: new RegExp(`^${source}$`), names };
}

/**
 * Answers a GET or HEAD that no route matched (the dashboard's files and page paths); resolves false
 * to leave it a 404.
 */
export type Fallback = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean>;

export function createHttpRouter(s: Pick<HubServices, 'auth' | 'config' | 'databaseHealth' | 'logger'>, guard: Guard, routes: Route[], fallback?: Fallback) {
  const compiled = routes.map(compile);

  /** The route for this method and path; undefined when no route has the path. */
  const match = (method: string, path: string): { route: CompiledRoute; params: Record<string, string> } | undefined => {
    let pathMatched = false;
    for (const route of compiled) {
      const found = route.pattern.exec(path);
      if (found === null) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(found[i + 1] ?? '')]));
      return { route, params };
    }
    if (pathMatched) throw new SwitchboardError('SB_ERR_METHOD', `${method} is not allowed on ${path}`);
    return undefined;
  };

  return {
    routes: compiled,
    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      // Every answer, JSON, page, file or error, is read as the type it says it is.
      res.setHeader('x-content-type-options', 'nosniff');
      try {
        guard.check(req);
        const url = new URL(req.url ?? '/', 'http://hub');
        const method = req.method ?? 'GET';
        const found = match(method, url.pathname);
        if (found === undefined) {
          const served = fallback !== undefined && (method === 'GET' || method === 'HEAD') && (await fallback(req, res, url.pathname));
          if (!served) throw new SwitchboardError('SB_ERR_NOT_FOUND', `no endpoint ${method} ${url.pathname}`);
          return;
        }
        const { route, params } = found;
        let identity: Identity | undefined;
        if (route.access !== 'public') {
          const credential = s.auth.credentialFromHeaders(req.headers);
          identity = s.auth.identify(
            credential?.secret,
            requestedAgent(req),
            { source: `http ${route.method} ${route.path}`, peer: req.socket.remoteAddress ?? 'unknown' },
            credential?.via,
          );
          if (route.access === 'admin' && !identity.admin) {
            throw new SwitchboardError('SB_ERR_FORBIDDEN', 'this endpoint needs the admin token (from connection.json)');
          }
        }
        const result = await route.handle({
          req,
          res,
          params,
          query: url.searchParams,
          identity,
          body: () => readJson(req, s.config.maxFrameBytes),
        });
        if (!res.headersSent) sendJson(res, result.status ?? 200, result.body);
      } catch (error) {
        sendError(res, s.databaseHealth.failed(error), s.logger);
      }
    },
  };
}

/** The agent named by `X-Agent-Name`, checked like the name on a WebSocket upgrade. */
function requestedAgent(req: IncomingMessage): string | undefined {
  const header = req.headers['x-agent-name'];
  if (typeof header !== 'string') return undefined;
  const name = agentName.safeParse(header);
  if (!name.success) throw new SwitchboardError('SB_ERR_VALIDATION', `invalid agent name "${header}" in X-Agent-Name`);
  return name.data;
}

/** The identity on a route that required a token. */
export function requireIdentity(ctx: RouteContext): Identity {
  if (ctx.identity === undefined) throw new SwitchboardError('SB_ERR_AUTH_REQUIRED');
  return ctx.identity;
}
