/**
 * A hub bound beyond loopback: the warning hosts print and log, saying what other machines can reach and
 * that tokens travel in clear text without TLS.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** 127.0.0.0/8, ::1 (also written out in full or IPv4-mapped) and localhost: only this machine reaches them. */
export function isLoopbackHost(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIPv4(name)) return name.startsWith('127.');
  if (!isIPv6(name)) return false;
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(name)?.[1];
  if (mapped !== undefined) return mapped.startsWith('127.');
  return /^(?:0{0,4}:){1,7}0{0,3}1$/.test(name);
}

/** The warning for a hub listening on `host`, or undefined when only this machine can reach it. */
export function exposureWarning(host: string, port: number): string | undefined {
  if (isLoopbackHost(host)) return undefined;
  const everywhere = host === '0.0.0.0' || host === '::' || host === '[::]';
  const where = everywhere ? `every network interface of this machine (${host}), port ${port}` : `${host}, port ${port}`;
  return [
    `WARNING: the hub is listening on ${where}, not only on this machine's loopback.`,
    'WARNING: every machine that can reach that address can reach the hub: its WebSocket and HTTP API, the MCP endpoint and the dashboard, each for anyone with a token or login link.',
    'WARNING: without TLS, tokens, login links and messages travel in clear text: anyone on the network path can read them and act as you. Keep the hub on 127.0.0.1, or put it behind a TLS proxy on a network you trust.',
  ].join('\n');
}
