/**
 * A hub bound beyond loopback: the warning hosts print and log, saying what other machines can reach and
 * that tokens travel in clear text without TLS.
 */
import { addressKind, normalizeHost } from '../relay/ip-address.js';

/** 127.0.0.0/8, ::1 (in any spelling, or IPv4-mapped) and localhost: only this machine reaches them. */
export function isLoopbackHost(host: string): boolean {
  const name = normalizeHost(host);
  return name === 'localhost' || name.endsWith('.localhost') || addressKind(name) === 'loopback';
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
