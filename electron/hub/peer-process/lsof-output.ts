/** macOS: reading `lsof -F pn` (which process holds which TCP socket) and `ps` output. */
import { hostPort, type TcpEndpoints } from './endpoints.js';

/**
 * The pid whose socket is the client end of the connection, from `lsof -nP -F pn` output: a `p<pid>` line
 * starts each process, then an `n<local>-><remote>` line per socket (IPv6 addresses in brackets).
 */
export function pidFromLsof(output: string, ends: TcpEndpoints): number | undefined {
  const wanted = `${hostPort(ends.remote.address, ends.remote.port)}->${hostPort(ends.local.address, ends.local.port)}`;
  let pid: number | undefined;
  for (const line of output.split('\n')) {
    if (line.startsWith('p')) pid = Number(line.slice(1));
    else if (line.startsWith('n') && line.slice(1).trim() === wanted && pid !== undefined && Number.isInteger(pid)) return pid;
  }
  return undefined;
}
