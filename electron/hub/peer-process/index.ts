/** The process behind a connection, for the operating system the hub runs on. */
import type { ProcessLookup } from './peer-processes.js';
import { findLinuxProcess } from './linux-lookup.js';

export { createPeerProcesses, type PeerProcesses, type ProcessLookup } from './peer-processes.js';

export function processLookupFor(platform: NodeJS.Platform): ProcessLookup {
  if (platform === 'linux') return findLinuxProcess;
  return () => Promise.resolve({ unknown: true, reason: `not looked up on ${platform}` });
}
