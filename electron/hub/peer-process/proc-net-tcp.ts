/** Reading /proc/net/tcp and /proc/net/tcp6 (Linux): which socket inode a TCP connection is. */
import { addressKey, type TcpEndpoints } from './endpoints.js';

/** One socket of the table: its ends as address keys (see addressKey) and ports, and its inode. */
export interface ProcNetTcpEntry {
  local: { key: string; port: number };
  remote: { key: string; port: number };
  inode: string;
}

/** The rows of a /proc/net/tcp or tcp6 file; the header and malformed lines are skipped. */
export function parseProcNetTcp(text: string): ProcNetTcpEntry[] {
  const entries: ProcNetTcpEntry[] = [];
  for (const line of text.split('\n')) {
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

/**
 * The inode of the client's socket of a loopback connection: the row whose local end is the hub's remote
 * end and whose remote end is the hub's local end. Undefined when no such row has an inode (0: closing).
 */
export function clientSocketInode(entries: readonly ProcNetTcpEntry[], ends: TcpEndpoints): string | undefined {
  const client = addressKey(ends.remote.address);
  const hub = addressKey(ends.local.address);
  const row = entries.find(
    (entry) =>
      entry.inode !== '0' &&
      entry.local.key === client &&
      entry.local.port === ends.remote.port &&
      entry.remote.key === hub &&
      entry.remote.port === ends.local.port,
  );
  return row?.inode;
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
