/** The hub's HTTP API from the window: JSON in and out, errors as `HubRequestError` with the hub's code. */
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

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
}

/** The `error` of a failed answer. */
interface HubErrorBody {
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
  fields?: Record<string, string>;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { httpBase } = hubAccess();
  const url = new URL(path, httpBase);
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const init: RequestInit = { method: options.method ?? 'GET', headers, credentials: 'same-origin' };
  if (options.body !== undefined) init.body = JSON.stringify(options.body);
  if (options.signal !== undefined) init.signal = options.signal;
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new HubRequestError(0, 'SB_ERR_UNREACHABLE', 'the hub is not reachable');
  }
  const text = await response.text();
  const body: unknown = text === '' ? undefined : safeJson(text);
  if (!response.ok) {
    const error = (body as { error?: HubErrorBody } | undefined)?.error;
    // The hub names per-field problems (settings) as `error.fields`; they reach views as `details.fields`.
    const details = error?.details ?? (error?.fields === undefined ? undefined : { fields: error.fields });
    throw new HubRequestError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? response.statusText, details);
  }
  return body as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
