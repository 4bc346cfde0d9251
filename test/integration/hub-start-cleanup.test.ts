/**
 * A hub that cannot open its port has already opened its database and started its services: it closes them
 * again, so a host that retries (the desktop app does, when the port frees) runs no second set of timers,
 * and the data folder is free at once. The test fixture fails the file if anything is left open.
 */
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startHub, tempFolders } from '../helpers/hub.js';

const folder = tempFolders();

describe('a hub whose port is taken', () => {
  it('fails to start, leaves nothing running, and frees its data folder for the next hub', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const taken = (blocker.address() as AddressInfo).port;
    const dataDir = folder();
    try {
      const error = await startHub({ dataDir, port: taken }).catch((thrown: unknown) => thrown);
      expect((error as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
      const next = await startHub({ dataDir });
      await next.stop();
    } finally {
      blocker.close();
    }
  });
});
