/** One attempt to deliver a task callback or alert webhook: a guarded, signed HTTP(S) POST whose outcome is a value, never a throw. */
import http from 'node:http';
import https from 'node:https';
import { HUB_VERSION } from '../../../shared/version.js';
import type { Signer } from './callback-signing.js';
import { CallbackRefusedError, checkCallbackUrl, createGuardedLookup, portOf, type CallbackPolicy, type Resolve } from './ssrf-guard.js';

/** Bytes of a receiver's answer that are read (and thrown away); past this the connection is cut. */
export const MAX_ANSWER_BYTES = 64 * 1024;

export type PostOutcome =
  /** The receiver answered 2xx. */
  | { kind: 'delivered'; status: number }
  /** Worth a retry: a non-2xx answer, a network error or no answer in time. */
  | { kind: 'failed'; error: string }
  /** The SSRF guard refused the URL or what its host resolves to; no request reached anyone. */
  | { kind: 'refused'; error: string }
  /** Cut short because the hub is stopping; not an attempt that counts. */
  | { kind: 'aborted' };

export interface PostOptions {
  /** What the SSRF guard allows. */
  policy: CallbackPolicy;
  /** Signs the body (X-Switchboard-Timestamp, X-Switchboard-Signature). */
  sign: Signer;
  /** The guard's resolver (default dns.lookup); tests inject one. */
  resolve?: Resolve;
  /** Time the whole exchange may take, from connecting to the end of the answer, in ms. */
  timeoutMs: number;
  /** Aborted when the sender closes. */
  signal: AbortSignal;
  /** The header that carries `taskId` (default `x-switchboard-task`; alert webhooks send `x-switchboard-alert`). */
  idHeader?: string;
}

/** POSTs `body` (JSON text) to `url` for task `taskId`; resolves with the outcome. */
export function postCallback(url: string, body: string, taskId: string, options: PostOptions): Promise<PostOutcome> {
  const problem = checkCallbackUrl(url, options.policy);
  if (problem !== undefined) return Promise.resolve({ kind: 'refused', error: problem });
  return new Promise((resolve) => {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs);
    const onShutdown = (): void => controller.abort();
    options.signal.addEventListener('abort', onShutdown, { once: true });
    let settled = false;
    const settle = (outcome: PostOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onShutdown);
      resolve(outcome);
    };
    const cutShort = (error: unknown): PostOutcome => {
      if (error instanceof CallbackRefusedError) return { kind: 'refused', error: error.message };
      if (options.signal.aborted) return { kind: 'aborted' };
      if (timedOut) return { kind: 'failed', error: `no answer within ${options.timeoutMs} ms` };
      return { kind: 'failed', error: error instanceof Error ? error.message : String(error) };
    };
    try {
      const target = new URL(url);
      const request = (target.protocol === 'https:' ? https : http).request(
        target,
        {
          method: 'POST',
          // No keep-alive pool: callbacks are rare, and a pooled socket would outlive close().
          agent: false,
          lookup: createGuardedLookup(options.policy, portOf(target), options.resolve),
          signal: controller.signal,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': `Switchboard/${HUB_VERSION}`,
            [options.idHeader ?? 'x-switchboard-task']: taskId,
            ...options.sign(body),
          },
        },
        (response) => {
          const status = response.statusCode ?? 0;
          const judged = (): PostOutcome => (status >= 200 && status < 300 ? { kind: 'delivered', status } : { kind: 'failed', error: `HTTP ${status}` });
          // The answer's body is not needed: up to the cap it is read and dropped, so the socket closes cleanly;
          // past it the connection is cut, so a receiver that streams forever costs neither memory nor time.
          let read = 0;
          response.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read <= MAX_ANSWER_BYTES) return;
            settle(judged());
            response.destroy();
          });
          // Errors here (a cut-off answer) are judged on 'close' from `complete`; the listener only keeps them from throwing.
          response.on('error', () => {});
          response.on('close', () => {
            if (!response.complete) settle(cutShort(new Error('the answer was cut off')));
            else settle(judged());
          });
        },
      );
      request.on('error', (error) => settle(cutShort(error)));
      request.end(body);
    } catch (error) {
      // request() throws at once for a header it cannot send (a task id holding a newline); counted as a failed attempt.
      settle({ kind: 'failed', error: error instanceof Error ? error.message : String(error) });
    }
  });
}

/** The URL's host (and port) for logs and events: never the path or query, which may carry secrets. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(not a URL)';
  }
}
