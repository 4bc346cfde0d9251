/** The process behind a connection, for the operating system the hub runs on. */
import { findMacProcess, findWindowsProcess } from './command-lookup.js';
import { findLinuxProcess } from './linux-lookup.js';
import type { ProcessLookup } from './peer-processes.js';

export { createPeerProcesses, type PeerProcesses, type ProcessLookup } from './peer-processes.js';

export function processLookupFor(platform: NodeJS.Platform): ProcessLookup {
  if (platform === 'linux') return findLinuxProcess;
  if (platform === 'darwin') return findMacProcess;
  if (platform === 'win32') return findWindowsProcess;
  return () => Promise.resolve({ unknown: true, reason: `not looked up on ${platform}` });
}
