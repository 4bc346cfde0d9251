/** Memory per idle authenticated connection: the hub's RSS before and after opening many connections. */
import { setTimeout as sleep } from 'node:timers/promises';
import { connectClient, type BenchClient } from './client.js';
import type { HubProcess } from './hub-process.js';

export interface MemoryOptions {
  connections: number;
  /** Connection attempts in flight at once. */
  concurrency: number;
  /** Wait after the last welcome before reading RSS again, so the hub's allocations settle. */
  settleMs: number;
}

export interface MemoryResult {
  connections: number;
  rssBefore: number;
  rssAfter: number;
  heapBefore: number;
  heapAfter: number;
  /** (rssAfter - rssBefore) / connections, in bytes. */
  perConnection: number;
}

export async function measureMemory(hub: HubProcess, options: MemoryOptions): Promise<MemoryResult> {
  // One connection first, so the per-connection code paths are loaded before the baseline.
  const first = await connectClient(hub, 'bench-idle-0');
  await sleep(options.settleMs);
  const before = await hub.status();
  const rssBefore = hub.procRss();
  const clients: BenchClient[] = [first];
  try {
    let next = 1;
    const worker = async (): Promise<void> => {
      while (next <= options.connections) {
        const name = `bench-idle-${next++}`;
        clients.push(await connectClient(hub, name));
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    await sleep(options.settleMs);
    const rssAfter = hub.procRss();
    const after = await hub.status();
    if (after.total_connections !== options.connections + 1) {
      throw new Error(`the hub reports ${after.total_connections} connections, expected ${options.connections + 1}`);
    }
    return {
      connections: options.connections,
      rssBefore,
      rssAfter,
      heapBefore: before.memory.heap_used,
      heapAfter: after.memory.heap_used,
      perConnection: (rssAfter - rssBefore) / options.connections,
    };
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
}
