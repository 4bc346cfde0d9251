/** The two ends of a TCP connection as the hub sees them, and addresses in one comparable form. */
import { isIPv4, isIPv6, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** The hub's accepted socket: `remote` is the client's end, `local` the hub's. */
export interface TcpEndpoints {
  remote: { address: string; port: number };
  local: { address: string; port: number };
}

/** Both ends of a TCP socket; undefined for any other transport. */
export function endpointsOf(transport: Duplex): TcpEndpoints | undefined {
  const { remoteAddress, remotePort, localAddress, localPort } = transport as Partial<Socket>;
  if (remoteAddress === undefined || remotePort === undefined || localAddress === undefined || localPort === undefined) return undefined;
  return { remote: { address: remoteAddress, port: remotePort }, local: { address: localAddress, port: localPort } };
}

/**
 * An address as 32 hex digits (16 bytes), IPv4 as its IPv4-mapped IPv6 form, so `127.0.0.1`,
 * `::ffff:127.0.0.1` and what /proc/net/tcp6 writes for either compare equal; undefined when not an address.
 */
export function addressKey(address: string): string | undefined {
  if (isIPv4(address)) return `00000000000000000000ffff${ipv4Hex(address)}`;
  if (!isIPv6(address)) return undefined;
  const [head = '', tail] = address.toLowerCase().split('::');
  const groups = (part: string | undefined): string[] => {
    if (part === undefined || part === '') return [];
    const pieces = part.split(':');
    const last = pieces.at(-1) ?? '';
    // An IPv4 tail (`::ffff:127.0.0.1`) is two groups.
    if (isIPv4(last)) pieces.splice(-1, 1, ipv4Hex(last).slice(0, 4), ipv4Hex(last).slice(4));
    return pieces.map((piece) => piece.padStart(4, '0'));
  };
  const front = groups(head);
  const back = groups(tail);
  const zeros = tail === undefined ? [] : Array<string>(8 - front.length - back.length).fill('0000');
  return [...front, ...zeros, ...back].join('');
}

function ipv4Hex(address: string): string {
  return address
    .split('.')
    .map((octet) => Number(octet).toString(16).padStart(2, '0'))
    .join('');
}

/** True for 127.0.0.0/8, `::1` and IPv4-mapped loopback: a connection from this machine. */
export function isLoopback(address: string): boolean {
  const key = addressKey(address);
  if (key === undefined) return false;
  return key === '00000000000000000000000000000001' || (key.startsWith('00000000000000000000ffff') && key.slice(24, 26) === '7f');
}

/** An endpoint as lsof and netstat write it: `127.0.0.1:52345`, `[::1]:52345`; IPv4-mapped addresses as plain IPv4. */
export function hostPort(address: string, port: number): string {
  const plain = address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
  return plain.includes(':') ? `[${plain}]:${port}` : `${plain}:${port}`;
}
