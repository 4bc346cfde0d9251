/** Keeps outgoing callbacks and webhooks away from the hub itself, private networks, link-local and metadata addresses (SSRF guard). */
import { promises as dns, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { networkInterfaces } from 'node:os';
import { isLoopbackHost } from '../startup/network-exposure.js';
import { addressKind, formatIp, isMappedV4, KIND_NAMES, normalizeHost, parseIp, stripBrackets } from './ip-address.js';

/** Raised (by the guarded lookup) when a callback host is refused; never worth a retry. */
export class CallbackRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallbackRefusedError';
  }
}

/** Resolves a hostname to all its addresses; `dns.lookup` by default, replaceable in tests. */
export type Resolve = (hostname: string, options: LookupOptions) => Promise<LookupAddress[]>;

const systemResolve: Resolve = (hostname, options) => dns.lookup(hostname, { ...options, all: true });

/** What the guard judges by: the person's allow-list and where the hub itself listens. */
export interface CallbackPolicy {
  /** `allowedCallbackHosts`: names or addresses let through although private, loopback, link-local or metadata. */
  allowedHosts: readonly string[];
  /** The host the hub listens on, as configured (127.0.0.1, 0.0.0.0, a LAN address…). */
  hubHost: string;
  /** The port the hub listens on, once it does. */
  hubPort(): number | undefined;
}

const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata']);
const LISTABLE = '; list it in allowedCallbackHosts to allow it';

/**
 * Why `address` (an IP literal) may not receive a callback, or undefined when it may. Public addresses
 * are fine, and loopback while `loopbackAllowed`. IPv4-mapped IPv6 is judged as its IPv4.
 */
export function refusedAddress(address: string, loopbackAllowed = true): string | undefined {
  const ip = parseIp(address);
  const kind = addressKind(address);
  if (ip === undefined || kind === undefined || (kind === 'loopback' && loopbackAllowed)) return undefined;
  const bare = stripBrackets(address);
  const what = kind === 'loopback' ? `${KIND_NAMES[kind]}, refused while the hub listens beyond loopback` : KIND_NAMES[kind];
  return isMappedV4(address) ? `${bare} (${formatIp(ip)}) is ${what}` : `${bare} is ${what}`;
}

/**
 * True when `host` (normalized) and `port` reach the hub itself. Bound to loopback or to every interface,
 * the hub answers on every loopback spelling; bound to every interface, on each local address too.
 */
export function isHubAddress(host: string, port: number, policy: CallbackPolicy): boolean {
  if (port !== policy.hubPort()) return false;
  const hub = normalizeHost(policy.hubHost);
  if (host === hub) return true;
  const hubKind = hub === 'localhost' ? 'loopback' : addressKind(hub);
  if (hubKind !== 'loopback' && hubKind !== 'unspecified') return false;
  const kind = host === 'localhost' ? 'loopback' : addressKind(host);
  if (kind === 'loopback' || kind === 'unspecified') return true;
  return hubKind === 'unspecified' && localAddresses().has(host);
}

/**
 * Checks a callback URL before anything is sent; returns a problem sentence, or undefined when it is fine.
 * The hub's own address is refused always; a host listed in `allowedHosts` (names or IPs, compared
 * without port) skips the other address checks.
 */
export function checkCallbackUrl(url: string, policy: CallbackPolicy): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'the callback URL is not a valid absolute URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `the callback URL must use http: or https: (got ${parsed.protocol})`;
  }
  // Not echoed back: the point is that the credentials must not travel or be stored anywhere.
  if (parsed.username !== '' || parsed.password !== '') return 'the callback URL must not contain a user name or password';
  const host = normalizeHost(parsed.hostname);
  if (isHubAddress(host, portOf(parsed), policy)) return `callback host ${parsed.host} is the hub's own address; the hub never calls itself`;
  if (allowedSet(policy.allowedHosts).has(host)) return undefined;
  // While the hub is reachable on loopback only, local agents on loopback need no listing.
  const loopbackAllowed = isLoopbackHost(policy.hubHost);
  let reason: string | undefined;
  if (METADATA_NAMES.has(host)) reason = `${host} is a cloud metadata name`;
  else if (host === 'localhost' && !loopbackAllowed) reason = 'localhost is a loopback name, refused while the hub listens beyond loopback';
  else reason = refusedAddress(stripBrackets(parsed.hostname), loopbackAllowed);
  return reason === undefined ? undefined : `callback host ${reason}${LISTABLE}`;
}

/**
 * A `lookup` for one `http.request` to `port` that refuses a hostname resolving to a refused address or
 * to the hub itself, so DNS rebinding cannot get past the URL check at connect time. Fails with a
 * CallbackRefusedError.
 * @param [resolve=dns.lookup with all: true] resolver, injectable for tests.
 */
export function createGuardedLookup(policy: CallbackPolicy, port: number, resolve: Resolve = systemResolve): LookupFunction {
  const allowed = allowedSet(policy.allowedHosts);
  const loopbackAllowed = isLoopbackHost(policy.hubHost);
  return (hostname, options, callback) => {
    const hostAllowed = allowed.has(normalizeHost(hostname));
    const judge = (address: string): string | undefined => {
      const host = normalizeHost(address);
      if (isHubAddress(host, port, policy)) return `callback host ${hostname} resolves to ${address}, the hub's own address; the hub never calls itself`;
      if (hostAllowed || allowed.has(host)) return undefined;
      const reason = refusedAddress(address, loopbackAllowed);
      return reason === undefined ? undefined : `callback host ${hostname} resolves to ${reason}${LISTABLE}`;
    };
    resolve(hostname, options).then(
      (addresses) => {
        // One refused address refuses them all: a mixed answer is exactly what a rebinding attack sends.
        const refused = addresses.map((a) => judge(a.address)).find((r) => r !== undefined);
        const first = addresses[0];
        if (refused !== undefined) {
          callback(new CallbackRefusedError(refused), '');
        } else if (first === undefined) {
          callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
        } else if (options.all === true) {
          callback(null, addresses);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}

/** The port a URL connects to, its scheme's default when it names none. */
export function portOf(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/** This machine's interface addresses, normalized: what a hub bound to every interface answers on. */
function localAddresses(): Set<string> {
  return new Set(
    Object.values(networkInterfaces())
      .flat()
      .map((i) => normalizeHost(i?.address ?? '')),
  );
}

function allowedSet(allowedHosts: readonly string[]): Set<string> {
  return new Set(allowedHosts.map(normalizeHost));
}
