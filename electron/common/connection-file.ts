/**
 * DATA_DIR/connection.json (mode 0600): the address, a local admin token and the callback signing secret,
 * so an agent of the same user connects (and verifies callbacks) with no configuration. Rewritten on every start; the token is kept across restarts
 * while it stays valid, so agents that read the file once keep working.
 */
import { readFileSync, renameSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';

export interface ConnectionInfo {
  url: string;
  http: string;
  port: number;
  token: string;
  pid: number;
  /** The secret callbacks and webhooks are signed with (see callback-secret.ts). */
  callback_secret?: string;
}

export const CONNECTION_FILE = 'connection.json';

export function connectionFilePath(dataDir: string): string {
  return join(dataDir, CONNECTION_FILE);
}

export function readConnectionFile(dataDir: string): ConnectionInfo | undefined {
  try {
    const parsed = JSON.parse(readFileSync(connectionFilePath(dataDir), 'utf8')) as Partial<ConnectionInfo>;
    if (typeof parsed.token !== 'string' || typeof parsed.port !== 'number' || typeof parsed.http !== 'string' || typeof parsed.url !== 'string')
      return undefined;
    const info: ConnectionInfo = { url: parsed.url, http: parsed.http, port: parsed.port, token: parsed.token, pid: parsed.pid ?? 0 };
    return typeof parsed.callback_secret === 'string' ? { ...info, callback_secret: parsed.callback_secret } : info;
  } catch {
    return undefined;
  }
}

/** Writes atomically (temp file, then rename) so a reader never sees half a file. */
export function writeConnectionFile(dataDir: string, info: ConnectionInfo): void {
  const target = connectionFilePath(dataDir);
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  if (process.platform !== 'win32') chmodSync(temp, 0o600);
  renameSync(temp, target);
}

/** The address clients use: loopback hubs are reached at 127.0.0.1, others at their bound host. */
export function connectionInfo(host: string, port: number, token: string): ConnectionInfo {
  const reachable = host === '0.0.0.0' || host === '::' || host === 'localhost' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return { url: `ws://${reachable}:${port}/ws`, http: `http://${reachable}:${port}`, port, token, pid: process.pid };
}
