/**
 * Linux: the process holding the client end of a loopback connection, from /proc. The socket's inode comes
 * from /proc/net/tcp(6); then /proc/<pid>/fd/* links are read until one is `socket:[inode]`. The hub's own
 * process is tried first (a client inside the hub's process, as in tests and the desktop app's own
 * connections), then the others from the newest pid down, since agents tend to be younger than the hub.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';
import type { ConnectionProcess } from '../../../shared/index.js';
import { isLoopback, type TcpEndpoints } from './endpoints.js';
import { clientSocketInode, parseProcNetTcp } from './proc-net-tcp.js';

/** Most fd links one lookup reads before it gives up: bounds the work on a machine with many open files. */
const MAX_FD_LINKS = 200_000;

export async function findLinuxProcess(ends: TcpEndpoints): Promise<ConnectionProcess> {
  if (!isLoopback(ends.remote.address)) return { unknown: true, reason: 'connected from another machine' };
  const tables = await Promise.all(['/proc/net/tcp', '/proc/net/tcp6'].map((file) => readFile(file, 'utf8').catch(() => '')));
  const inode = clientSocketInode(tables.flatMap(parseProcNetTcp), ends);
  if (inode === undefined) return { unknown: true, reason: 'the socket is no longer open' };
  const link = `socket:[${inode}]`;
  let unreadable = 0;
  let budget = MAX_FD_LINKS;
  for (const pid of await pidsToTry()) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => undefined);
    if (fds === undefined) {
      unreadable++;
      continue;
    }
    budget -= fds.length;
    const targets = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
    if (targets.includes(link)) return describe(pid);
    if (budget <= 0) return { unknown: true, reason: `not found within ${MAX_FD_LINKS} open files` };
  }
  return { unknown: true, reason: unreadable > 0 ? "another user's process, or one that has ended" : 'the process has ended' };
}

async function pidsToTry(): Promise<number[]> {
  const others = (await readdir('/proc'))
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => pid !== process.pid)
    .sort((a, b) => b - a);
  return [process.pid, ...others];
}

/** The command line (its NUL-separated arguments joined by spaces) and the executable of a process. */
async function describe(pid: number): Promise<ConnectionProcess> {
  const [cmdline, executable] = await Promise.all([
    readFile(`/proc/${pid}/cmdline`).catch(() => Buffer.alloc(0)),
    readlink(`/proc/${pid}/exe`).catch(() => null),
  ]);
  const args = cmdline.toString('utf8').split('\0');
  if (args.at(-1) === '') args.pop();
  return { pid, command: args.join(' '), executable };
}
