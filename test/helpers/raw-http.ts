/**
 * Plain `node:http` requests for what fetch and the ws client will not send: any Host header, raw
 * WebSocket upgrade requests whose refusal body we want to read, and requests that stop half-way.
 */
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  /** The parsed JSON body, or the text when it is not JSON. */
  body: unknown;
}

/** Sends one HTTP request to 127.0.0.1:port with exactly these headers (Host included, when given). */
export function rawRequest(
  port: number,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path ?? '/', headers: options.headers ?? {}, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
        res.on('error', reject);
      },
    );
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, body: undefined });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Sends a WebSocket upgrade request to /ws (or `path`); resolves with 101 when accepted, else the refusal. */
export function rawUpgrade(port: number, headers: Record<string, string> = {}, path = '/ws'): Promise<RawResponse> {
  return rawRequest(port, {
    path,
    headers: {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': randomBytes(16).toString('base64'),
      ...headers,
    },
  });
}

/** The standard JSON error body, for toEqual. */
export function errorBody(code: string, message: unknown): { status: 'error'; error: { code: string; message: unknown } } {
  return { status: 'error', error: { code, message } };
}

/**
 * Writes `text` on a plain TCP connection to 127.0.0.1:port and keeps it open, sending nothing more;
 * resolves with everything the hub wrote once the hub closes the connection.
 */
export function sendAndHold(port: number, text: string, timeoutMs = 15_000): Promise<{ received: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(text));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the hub kept the connection open for ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ received: Buffer.concat(chunks).toString('utf8') });
    });
  });
}
