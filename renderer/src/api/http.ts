/**
 * The hub's HTTP API from the window: each request names its route in the shared contract, so what it
 * sends and what it gets back are typed by the route's schemas. Errors are `HubRequestError` with the hub's code.
 */
import {
  answerSchema,
  describeIssues,
  httpErrorBody,
  routePath,
  type HasPathParams,
  type HttpPathParams,
  type HttpQuery,
  type HttpRequestBody,
  type HttpResponse,
  type HttpRoute,
} from '../../../shared/index.js';
import type { HubAccess } from './hub-access.js';

export class HubRequestError extends Error {
  readonly code: string;
  readonly status: number;
  /** Extra detail from the hub's error body, e.g. per-field messages for settings. */
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'HubRequestError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

let access: HubAccess | undefined;

export function setHubAccess(next: HubAccess): void {
  access = next;
}

export function hubAccess(): HubAccess {
  if (access === undefined) throw new Error('the hub address is not known yet');
  return access;
}

type QueryValue = string | number | boolean | undefined;

/** A route's query parameters by name; each is sent as text, and a blank or undefined one is left out. */
export type QueryValues<R extends HttpRoute> = { [K in keyof HttpQuery<R>]?: QueryValue };

/** The `:name` segments of the route's path, required when it has any. */
export type PathOptions<R extends HttpRoute> = HasPathParams<R> extends true ? { params: HttpPathParams<R> } : { params?: never };

export type RequestOptions<R extends HttpRoute> = PathOptions<R> & {
  query?: QueryValues<R>;
  body?: HttpRequestBody<R>;
  signal?: AbortSignal;
};

/** The options, which may be left out unless the path has segments to fill in. */
export type RequestArguments<R extends HttpRoute, Options> = HasPathParams<R> extends true ? [options: Options] : [options?: Options];

/** A request as `send` takes it, whatever its route. */
export interface RouteRequest {
  params?: Record<string, string>;
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
}

/** Sends a request to `route` and answers the route's success body. */
export function api<R extends HttpRoute>(route: R, ...[options]: RequestArguments<R, RequestOptions<R>>): Promise<HttpResponse<R>> {
  return send(route, (options ?? {}) as RouteRequest) as Promise<HttpResponse<R>>;
}

/**
 * Sends a request; resolves with the success body, rejects with HubRequestError. A development build
 * also checks the body against the route's schema and refuses one that does not fit (docs/decisions.md).
 */
export async function send(route: HttpRoute, request: RouteRequest): Promise<unknown> {
  const { httpBase } = hubAccess();
  const url = new URL(routePath(route, request.params ?? {}), httpBase);
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  const init: RequestInit = { method: route.method, headers, credentials: 'same-origin' };
  if (request.body !== undefined) init.body = JSON.stringify(request.body);
  if (request.signal !== undefined) init.signal = request.signal;
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new HubRequestError(0, 'SB_ERR_UNREACHABLE', 'the hub is not reachable');
  }
  const text = await response.text();
  const body: unknown = text === '' ? undefined : safeJson(text);
  if (!response.ok) throw refusal(response, body);
  if (import.meta.env.DEV) checkAnswer(route, response.status, body);
  return body;
}

/** A failed answer as an error: the hub's code and message when the body is its error body, else the HTTP status. */
export function refusal(response: Response, body: unknown): HubRequestError {
  const parsed = httpErrorBody.safeParse(body);
  if (!parsed.success) return new HubRequestError(response.status, `HTTP_${response.status}`, response.statusText);
  const { code, message, fields } = parsed.data.error;
  // The hub names per-field problems (settings) as `error.fields`; they reach views as `details.fields`.
  return new HubRequestError(response.status, code, message, fields === undefined ? undefined : { fields });
}

function checkAnswer(route: HttpRoute, status: number, body: unknown): void {
  const checked = answerSchema(route, status).safeParse(body);
  if (!checked.success) {
    throw new HubRequestError(status, 'SB_ERR_CONTRACT', `${route.method} ${route.path} answered outside its schema: ${describeIssues(checked.error)}`);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
