/** The process behind a connection, for the operating system the hub runs on. */
import type { ConnectionProcess } from '../../../shared/index.js';
import { findMacProcess, findWindowsProcess } from './command-lookup.js';
import type { TcpEndpoints } from './endpoints.js';
import { findLinuxProcesses } from './linux-lookup.js';
import type { ProcessLookup } from './peer-processes.js';

export { createPeerProcesses, type PeerProcesses, type ProcessLookup } from './peer-processes.js';

export function processLookupFor(platform: NodeJS.Platform): ProcessLookup {
  if (platform === 'linux') return findLinuxProcesses;
  if (platform === 'darwin') return oneByOne(findMacProcess);
  if (platform === 'win32') return oneByOne(findWindowsProcess);
  return (all) => Promise.resolve(all.map(() => ({ unknown: true, reason: `not looked up on ${platform}` })));
}

/** A batch looked up one connection after another, for the systems whose tools answer one port at a time. */
function oneByOne(find: (ends: TcpEndpoints) => Promise<ConnectionProcess>): ProcessLookup {
  return async (all) => {
    const answers: ConnectionProcess[] = [];
    for (const ends of all) answers.push(await find(ends).catch((): ConnectionProcess => ({ unknown: true, reason: 'the lookup failed' })));
    return answers;
  };
}
