/**
 * A route of the hub's HTTP API as data: method, path, who may call it, and the schemas of its query,
 * body and answer. The hub's routes, the dashboard's requests and the contract test read the same ones.
 */
import { z } from 'zod';
import { httpErrorBody } from './common.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** `public`: no token; `token`: any valid token or session; `admin`: the admin token or an admin session. */
export type HttpAccess = 'public' | 'token' | 'admin';

export interface HttpRoute {
  readonly method: HttpMethod;
  /** A path such as `/api/tasks/:id/cancel`; each `:name` is one URL-encoded segment. */
  readonly path: string;
  readonly access: HttpAccess;
  /** The query string's parameters, each a string on the wire. */
  readonly query?: z.ZodType;
  /** The JSON body. */
  readonly body?: z.ZodType;
  /** The statuses of a success; each answers with `response`. */
  readonly ok: readonly number[];
  readonly response: z.ZodType;
  /** Failure statuses that may answer with something other than the error body, and what they answer then. */
  readonly failures?: Readonly<Record<number, z.ZodType>>;
  /** `json` when left out; `json-lines`: one `response` per line; `text`: `response` is the text. */
  readonly format?: 'json-lines' | 'text';
}

/** Keeps the route's literal types (its path, its schemas), so the types below follow from it. */
export function defineRoute<const R extends HttpRoute>(route: R): R {
  return route;
}

/** The `:name` parts of a path, as a union of names. */
type ParamNames<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : Path extends `${string}:${infer Name}`
    ? Name
    : never;

/** The values for a route's `:name` path segments. */
export type HttpPathParams<R extends HttpRoute> = Record<ParamNames<R['path']>, string>;

/** Whether the route's path has `:name` segments to fill in. */
export type HasPathParams<R extends HttpRoute> = [ParamNames<R['path']>] extends [never] ? false : true;

/** The body of a success. */
export type HttpResponse<R extends HttpRoute> = z.output<R['response']>;

/** The route's failure statuses that have a body of their own, with their schemas; none when it lists no failures. */
type FailureSchemas<R extends HttpRoute> = R extends { readonly failures: infer Failures } ? Failures : Record<never, never>;

/** The statuses a route answers with a body of its own: its successes and its listed failures. */
export type HttpAnswerStatus<R extends HttpRoute> = R['ok'][number] | (keyof FailureSchemas<R> & number);

/** The body of an answer with this status: the success body, or the failure's own body. */
export type HttpAnswer<R extends HttpRoute, S extends HttpAnswerStatus<R>> = S extends R['ok'][number]
  ? HttpResponse<R>
  : FailureSchemas<R>[S & keyof FailureSchemas<R>] extends infer Failure extends z.ZodType
    ? z.output<Failure>
    : never;

/** The body a client sends (before the hub's defaults apply); undefined for a route that takes none. */
export type HttpRequestBody<R extends HttpRoute> = R extends { body: infer Body extends z.ZodType } ? z.input<Body> : undefined;

/** The query a client sends, by parameter; undefined for a route that takes none. */
export type HttpQuery<R extends HttpRoute> = R extends { query: infer Query extends z.ZodType } ? z.input<Query> : undefined;

/** The route's path with its `:name` segments filled in, each URL-encoded. */
export function routePath(route: HttpRoute, params: Readonly<Record<string, string>>): string {
  return route.path.replace(/:([a-z_]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}

/** The schema an answer with this status must fit: the route's success body, or the error body (or a failure's own body). */
export function answerSchema(route: HttpRoute, status: number): z.ZodType {
  if (route.ok.includes(status)) return route.response;
  const failure = route.failures?.[status];
  return failure === undefined ? httpErrorBody : z.union([failure, httpErrorBody]);
}
