/** Keeps outgoing callbacks away from link-local, cloud metadata and unspecified addresses (SSRF guard). */
import { promises as dns, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIPv4, isIPv6, type LookupFunction } from 'node:net';

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

const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata']);
const METADATA_V4 = new Set(['169.254.169.254', '100.100.100.200']);
const METADATA_V6 = new Set(['fd00:ec2:0:0:0:0:0:254']);

type Ip = { family: 4; octets: number[] } | { family: 6; groups: number[] };

/**
 * Why `address` (an IP literal) may not receive a callback, or undefined when it may. Loopback and
 * private LAN addresses are fine: local agents live there. IPv4-mapped IPv6 is judged as its IPv4.
 */
export function refusedAddress(address: string): string | undefined {
  const ip = parseIp(address);
  if (ip === undefined) return undefined;
  const kind = ip.family === 4 ? refusedV4(ip.octets) : refusedV6(ip.groups);
  if (kind === undefined) return undefined;
  const bare = stripBrackets(address);
  return ip.family === 4 && isIPv6(bare.split('%')[0] ?? '') ? `${bare} (${formatIp(ip)}) is ${kind}` : `${bare} is ${kind}`;
}

/**
 * Checks a callback URL before anything is sent; returns a problem sentence, or undefined when it is fine.
 * A host listed in `allowedHosts` (names or IPs, compared without port) skips the address checks.
 */
export function checkCallbackUrl(url: string, allowedHosts: readonly string[]): string | undefined {
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
  if (allowedSet(allowedHosts).has(host)) return undefined;
  const reason = METADATA_NAMES.has(host) ? `${host} is a cloud metadata name` : refusedAddress(stripBrackets(parsed.hostname));
  return reason === undefined ? undefined : `callback host ${reason}; list it in allowedCallbackHosts to allow it`;
}

/**
 * A `lookup` for `http.request` that refuses a hostname resolving to a refused address, so DNS
 * rebinding cannot reach metadata at connect time. Fails with a CallbackRefusedError.
 * @param allowedHosts hostnames or addresses whose resolution is not checked.
 * @param [resolve=dns.lookup with all: true] resolver, injectable for tests.
 */
export function createGuardedLookup(allowedHosts: readonly string[], resolve: Resolve = systemResolve): LookupFunction {
  const allowed = allowedSet(allowedHosts);
  return (hostname, options, callback) => {
    const hostAllowed = allowed.has(normalizeHost(hostname));
    resolve(hostname, options).then(
      (addresses) => {
        // One refused address refuses them all: a mixed answer is exactly what a rebinding attack sends.
        const refused = hostAllowed
          ? undefined
          : addresses.map((a) => (allowed.has(normalizeHost(a.address)) ? undefined : refusedAddress(a.address))).find((r) => r !== undefined);
        const first = addresses[0];
        if (refused !== undefined) {
          callback(new CallbackRefusedError(`callback host ${hostname} resolves to ${refused}; list it in allowedCallbackHosts to allow it`), '');
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

function refusedV4([a, b, c, d]: number[]): string | undefined {
  if (METADATA_V4.has(`${a}.${b}.${c}.${d}`)) return 'a cloud metadata address';
  if (a === 169 && b === 254) return 'a link-local address';
  if (a === 0) return 'an unspecified address';
  return undefined;
}

function refusedV6(groups: number[]): string | undefined {
  if (METADATA_V6.has(groups.map((g) => g.toString(16)).join(':'))) return 'a cloud metadata address';
  if (((groups[0] ?? 0) & 0xffc0) === 0xfe80) return 'a link-local address';
  if (groups.every((g) => g === 0)) return 'an unspecified address';
  return undefined;
}

function parseIp(text: string): Ip | undefined {
  const host = (stripBrackets(text).split('%')[0] ?? '').toLowerCase();
  if (isIPv4(host)) return { family: 4, octets: host.split('.').map(Number) };
  if (!isIPv6(host)) return undefined;
  const groups = ipv6Groups(host);
  const [, , , , , marker = 0, high = 0, low = 0] = groups;
  // ::ffff:a.b.c.d reaches the IPv4 address on a dual-stack socket, so it is judged as that address.
  if (groups.slice(0, 5).every((g) => g === 0) && marker === 0xffff) {
    return { family: 4, octets: [high >> 8, high & 0xff, low >> 8, low & 0xff] };
  }
  return { family: 6, groups };
}

/** The eight 16-bit groups of a valid IPv6 literal (already checked by isIPv6). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const before = head === '' ? [] : head.split(':');
  const after = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros = new Array<string>(8 - before.length - after.length).fill('0');
  return [...before, ...zeros, ...after].map((g) => parseInt(g, 16));
}

function formatIp(ip: Ip): string {
  return ip.family === 4 ? ip.octets.join('.') : ip.groups.map((g) => g.toString(16)).join(':');
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** One spelling per host, so "[::ffff:a9fe:a9fe]", "::ffff:169.254.169.254" and "169.254.169.254" compare equal. */
function normalizeHost(host: string): string {
  let h = stripBrackets(host.trim().toLowerCase());
  if (h.endsWith('.')) h = h.slice(0, -1);
  const ip = parseIp(h);
  return ip === undefined ? h : formatIp(ip);
}

function allowedSet(allowedHosts: readonly string[]): Set<string> {
  return new Set(allowedHosts.map(normalizeHost));
}
