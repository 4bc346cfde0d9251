/** Reading /proc/net/tcp and /proc/net/tcp6 (Linux): which socket inode a TCP connection is. */
import { addressKey, type TcpEndpoints } from './endpoints.js';

/** One socket of the table: its ends as address keys (see addressKey) and ports, and its inode. */
export interface ProcNetTcpEntry {
  local: { key: string; port: number };
  remote: { key: string; port: number };
  inode: string;
}

/**
 * The rows of a /proc/net/tcp or tcp6 file; the header and malformed lines are skipped. With `localPorts`,
 * only the rows whose local port is one of them: a busy machine's table has a row per socket, and a lookup
 * wants a few, so the others are passed over before they are split into fields.
 */
export function parseProcNetTcp(text: string, localPorts?: ReadonlySet<number>): ProcNetTcpEntry[] {
  const entries: ProcNetTcpEntry[] = [];
  for (const line of text.split('\n')) {
    if (localPorts !== undefined && !localPorts.has(localPortOf(line))) continue;
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
    const fields = line.trim().split(/\s+/);
    const local = endpointOf(fields[1]);
    const remote = endpointOf(fields[2]);
    const inode = fields[9];
    if (local === undefined || remote === undefined || inode === undefined || !/^\d+$/.test(inode)) continue;
    entries.push({ local, remote, inode });
  }
  return entries;
}

/** A row's local port, read where it sits (after the second colon: `sl: address:PORT`); NaN for other lines. */
function localPortOf(line: string): number {
  const colon = line.indexOf(':', line.indexOf(':') + 1);
  return colon < 0 ? Number.NaN : parseInt(line.slice(colon + 1, colon + 5), 16);
}

/**
 * Finds the inode of the client's socket of a loopback connection: the row whose local end is the hub's
 * remote end and whose remote end is the hub's local end. Undefined when no such row has an inode (0:
 * closing). The rows are indexed once, so a batch of connections costs one pass over the table.
 */
export function clientSocketInodes(entries: readonly ProcNetTcpEntry[]): (ends: TcpEndpoints) => string | undefined {
  const byEnds = new Map<string, string>();
  for (const entry of entries) {
    if (entry.inode !== '0') byEnds.set(`${entry.local.key}:${entry.local.port}>${entry.remote.key}:${entry.remote.port}`, entry.inode);
  }
  return (ends) => byEnds.get(`${addressKey(ends.remote.address) ?? ''}:${ends.remote.port}>${addressKey(ends.local.address) ?? ''}:${ends.local.port}`);
}

/**
 * `0100007F:1F90` → 127.0.0.1 port 8080. The kernel writes each 32-bit word of the address in host byte
 * order; on the little-endian machines Linux desktops run on, that is each word's bytes reversed.
 */
function endpointOf(field: string | undefined): { key: string; port: number } | undefined {
  const match = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/.exec(field ?? '');
  if (match === null) return undefined;
  const [, hex = '', port = ''] = match;
  const words = (hex.match(/.{8}/g) ?? []).map((word) => (word.match(/../g) ?? []).reverse().join('').toLowerCase());
  const key = words.length === 1 ? `00000000000000000000ffff${words[0] ?? ''}` : words.join('');
  return { key, port: parseInt(port, 16) };
}
