/** Windows: reading `netstat -ano -p TCP` (which pid owns which connection) and the process query's output. */
import { hostPort, type TcpEndpoints } from './endpoints.js';

/**
 * The pid owning the client end of the connection, from `netstat -ano` rows such as
 * `TCP    127.0.0.1:52345    127.0.0.1:4000    ESTABLISHED    4242` (IPv6 addresses in brackets).
 */
export function pidFromNetstat(output: string, ends: TcpEndpoints): number | undefined {
  const client = hostPort(ends.remote.address, ends.remote.port);
  const hub = hostPort(ends.local.address, ends.local.port);
  for (const line of output.split(/\r?\n/)) {
    const [proto, local, foreign, , pid] = line.trim().split(/\s+/);
    if (proto === 'TCP' && local === client && foreign === hub && pid !== undefined && /^\d+$/.test(pid)) return Number(pid);
  }
  return undefined;
}

/** The executable path on the first line, the command line on the rest (either may be empty when not readable). */
export function processFromQuery(output: string): { executable: string | null; command: string } {
  const [executable = '', ...command] = output.replace(/\r/g, '').replace(/\n+$/, '').split('\n');
  return { executable: executable.trim() === '' ? null : executable.trim(), command: command.join('\n').trim() };
}
