/** A tiny HTTP router: method + path pattern, auth level, and errors turned into JSON in one place. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  agentName,
  httpRoutes,
  SwitchboardError,
  type HttpAccess,
  type HttpAnswer,
  type HttpAnswerStatus,
  type HttpMethod,
  type HttpPathParams,
  type HttpRoute,
  type HttpRouteName,
} from '../../../shared/index.js';
import type { Identity } from '../ws/connection.js';
import type { HubServices } from '../services.js';
import type { Guard } from './guard.js';
import { endpointsOf } from '../peer-process/endpoints.js';
import { readJson, sendError, sendJson } from './respond.js';

type HttpRoutes = typeof httpRoutes;

export interface RouteContext<R extends HttpRoute = HttpRoute> {
  req: IncomingMessage;
  res: ServerResponse;
  /** One value per `:name` segment of the route's path, decoded. */
  params: HttpPathParams<R>;
  query: URLSearchParams;
  /** Undefined only on public routes. */
  identity: Identity | undefined;
  body(): Promise<unknown>;
}

/**
 * What a contract route's handler returns: a status the route's entry lists with the body it says for that
 * status (`status` may be left out for 200). A route with a `format` (JSON Lines, text) writes its answer
 * itself and returns nothing. Refusals are thrown as SwitchboardError, never returned.
 */
export type RouteResult<R extends HttpRoute> = R extends { readonly format: string }
  ? void
  : { [S in HttpAnswerStatus<R>]: S extends 200 ? { status?: S; body: HttpAnswer<R, S> } : { status: S; body: HttpAnswer<R, S> } }[HttpAnswerStatus<R>];

/** A JSON answer to send. */
interface Answer {
  status?: number;
  body: unknown;
}

/** A route as the router keeps it, its types checked where it was declared (`route`, `rawRoute`). */
export interface Route {
  readonly method: HttpMethod;
  /** A path such as `/api/conversations/:id/messages`. */
  readonly path: string;
  readonly access: HttpAccess;
  /** The answer to send as JSON; undefined when the handler wrote its own. */
  handle(ctx: RouteContext): Promise<Answer | undefined>;
}

/**
 * A route of the JSON API, named by its entry in `httpRoutes`: method, path and access come from the entry,
 * and the handler's answer must fit the entry's schema for the status it returns. (By name rather than by
 * the entry itself: inferred from a string, the route's type reaches the handler with its literal types,
 * so `status: 'ok'` is checked as `'ok'`.)
 */
export function route<N extends HttpRouteName>(
  name: N,
  handler: { handle(ctx: RouteContext<HttpRoutes[N]>): RouteResult<HttpRoutes[N]> | Promise<RouteResult<HttpRoutes[N]>> },
): Route {
  const { method, path, access }: HttpRoute = httpRoutes[name];
  return {
    method,
    path,
    access,
    handle: async (ctx) => {
      // The router fills `params` from this very path, so it has exactly the path's names.
      const answer: Answer | void = await handler.handle(ctx as RouteContext<HttpRoutes[N]>);
      return answer ?? undefined;
    },
  };
}

/** A route outside the JSON API's contract (a redirect, a page, MCP's own protocol, a WebSocket path): its handler writes its own answer or throws. */
export function rawRoute(declared: { method: HttpMethod; path: string; access: HttpAccess; handle(ctx: RouteContext): void | Promise<void> }): Route {
  const { method, path, access } = declared;
  return {
    method,
    path,
    access,
    handle: async (ctx) => {
      await declared.handle(ctx);
      return undefined;
    },
  };
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

export function createHttpRouter(
  s: Pick<HubServices, 'auth' | 'approvals' | 'config' | 'databaseHealth' | 'logger' | 'presence'>,
  guard: Guard,
  routes: Route[],
  fallback?: Fallback,
) {
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
          const named = requestedAgent(req);
          identity = s.auth.identify(
            credential?.secret,
            named,
            { source: `http ${route.method} ${route.path}`, peer: req.socket.remoteAddress ?? 'unknown' },
            credential?.via,
          );
          if (route.access === 'admin' && !identity.admin) {
            throw new SwitchboardError('SB_ERR_FORBIDDEN', 'this endpoint needs the admin token (from connection.json)');
          }
          s.approvals.checkRequest(identity, endpointsOf(req.socket));
          // An agent's token (or the admin token naming an agent) is an agent at work, WebSocket or not; a
          // browser session or the bare admin token (the CLI) is the person at the machine.
          if (identity.via === 'token' && (!identity.admin || named !== undefined)) s.presence.sawOverHttp(identity.agent);
        }
        const answer = await route.handle({
          req,
          res,
          params,
          query: url.searchParams,
          identity,
          body: () => readJson(req, s.config.maxFrameBytes),
        });
        if (answer !== undefined) sendJson(res, answer.status ?? 200, answer.body);
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
