/** IP literals for the callback guard: parsing every spelling, one normal form, and what kind of address it is. */
import { isIPv4, isIPv6 } from 'node:net';

export type Ip = { family: 4; octets: number[] } | { family: 6; groups: number[] };

/** Kinds of address a callback may not reach without being listed (loopback only while the hub is reachable beyond it). */
export type AddressKind = 'metadata' | 'link-local' | 'unspecified' | 'private' | 'loopback';

export const KIND_NAMES: Record<AddressKind, string> = {
  metadata: 'a cloud metadata address',
  'link-local': 'a link-local address',
  unspecified: 'an unspecified address',
  private: 'a private-network address',
  loopback: 'a loopback address',
};

const METADATA_V4 = new Set(['169.254.169.254', '100.100.100.200']);
const METADATA_V6 = new Set(['fd00:ec2:0:0:0:0:0:254']);

/** The kind of an IP literal, or undefined for an ordinary (public) address or a name. */
export function addressKind(address: string): AddressKind | undefined {
  const ip = parseIp(address);
  if (ip === undefined) return undefined;
  return ip.family === 4 ? kindV4(ip.octets) : kindV6(ip.groups);
}

function kindV4([a = 0, b = 0, c = 0, d = 0]: number[]): AddressKind | undefined {
  if (METADATA_V4.has(`${a}.${b}.${c}.${d}`)) return 'metadata';
  if (a === 169 && b === 254) return 'link-local';
  if (a === 0) return 'unspecified';
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  return undefined;
}

function kindV6(groups: number[]): AddressKind | undefined {
  const first = groups[0] ?? 0;
  if (METADATA_V6.has(groups.map((g) => g.toString(16)).join(':'))) return 'metadata';
  if ((first & 0xffc0) === 0xfe80) return 'link-local';
  if (groups.every((g) => g === 0)) return 'unspecified';
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return 'loopback';
  if ((first & 0xfe00) === 0xfc00) return 'private';
  return undefined;
}

/** Parses an IPv4 or IPv6 literal (brackets and zone ids allowed); IPv4-mapped IPv6 comes back as its IPv4. */
export function parseIp(text: string): Ip | undefined {
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

export function formatIp(ip: Ip): string {
  return ip.family === 4 ? ip.octets.join('.') : ip.groups.map((g) => g.toString(16)).join(':');
}

export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** One spelling per host, so "[::ffff:a9fe:a9fe]", "::ffff:169.254.169.254" and "169.254.169.254" compare equal. */
export function normalizeHost(host: string): string {
  let h = stripBrackets(host.trim().toLowerCase());
  if (h.endsWith('.')) h = h.slice(0, -1);
  const ip = parseIp(h);
  return ip === undefined ? h : formatIp(ip);
}

/** True when `address` is an IPv6 literal that stands for an IPv4 address (::ffff:a.b.c.d). */
export function isMappedV4(address: string): boolean {
  const ip = parseIp(address);
  return ip?.family === 4 && isIPv6(stripBrackets(address).split('%')[0] ?? '');
}
