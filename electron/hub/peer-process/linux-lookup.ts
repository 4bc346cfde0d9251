/**
 * Linux: the processes holding the client ends of loopback connections, from /proc. The sockets' inodes come
 * from /proc/net/tcp(6); then /proc/<pid>/fd/* links are read until every socket is found among them
 * (`socket:[inode]`). A batch of connections shares one read of the tables and one pass over the processes.
 * The hub's own process is tried first (a client inside the hub's process, as in tests and the desktop app's
 * own connections), then the others from the newest pid down, since agents tend to be younger than the hub.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';
import type { ConnectionProcess } from '../../../shared/index.js';
import { isLoopback, type TcpEndpoints } from './endpoints.js';
import { clientSocketInodes, parseProcNetTcp } from './proc-net-tcp.js';

/** Most fd links one batch reads before it gives up: bounds the work on a machine with many open files. */
const MAX_FD_LINKS = 200_000;

const REMOTE: ConnectionProcess = { unknown: true, reason: 'connected from another machine' };
const CLOSED: ConnectionProcess = { unknown: true, reason: 'the socket is no longer open' };

export async function findLinuxProcesses(all: readonly TcpEndpoints[]): Promise<ConnectionProcess[]> {
  const answers = all.map((ends): ConnectionProcess | undefined => (isLoopback(ends.remote.address) ? undefined : REMOTE));
  if (answers.every((answer) => answer !== undefined)) return answers;
  const tables = await Promise.all(['/proc/net/tcp', '/proc/net/tcp6'].map((file) => readFile(file, 'utf8').catch(() => '')));
  const clientPorts = new Set(all.flatMap((ends, i) => (answers[i] === undefined ? [ends.remote.port] : [])));
  const inodeOf = clientSocketInodes(tables.flatMap((table) => parseProcNetTcp(table, clientPorts)));
  /** The connections still to find, by the fd link their socket shows as. */
  const sought = new Map<string, number[]>();
  all.forEach((ends, i) => {
    if (answers[i] !== undefined) return;
    const inode = inodeOf(ends);
    if (inode === undefined) answers[i] = CLOSED;
    else sought.set(`socket:[${inode}]`, [...(sought.get(`socket:[${inode}]`) ?? []), i]);
  });
  let unreadable = 0;
  let budget = MAX_FD_LINKS;
  for (const pid of await pidsToTry()) {
    if (sought.size === 0 || budget <= 0) break;
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => undefined);
    if (fds === undefined) {
      unreadable++;
      continue;
    }
    budget -= fds.length;
    const held = await socketsAmong(pid, fds, sought);
    if (held.length === 0) continue;
    // One description for all of a process's connections.
    const process = await describe(pid);
    for (const target of held) {
      for (const i of sought.get(target) ?? []) answers[i] = process;
      sought.delete(target);
    }
  }
  const missing: ConnectionProcess =
    budget <= 0
      ? { unknown: true, reason: `not found within ${MAX_FD_LINKS} open files` }
      : { unknown: true, reason: unreadable > 0 ? "another user's process, or one that has ended" : 'the process has ended' };
  return answers.map((answer) => answer ?? missing);
}

/** Most fd links read at once: a process with thousands of sockets is read in slices, not all in flight. */
const LINKS_AT_ONCE = 256;

/** The fd links of a process that are among the sockets sought. */
async function socketsAmong(pid: number, fds: readonly string[], sought: ReadonlyMap<string, unknown>): Promise<string[]> {
  const held: string[] = [];
  for (let from = 0; from < fds.length; from += LINKS_AT_ONCE) {
    const targets = await Promise.all(fds.slice(from, from + LINKS_AT_ONCE).map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
    for (const target of targets) if (sought.has(target)) held.push(target);
  }
  return held;
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
