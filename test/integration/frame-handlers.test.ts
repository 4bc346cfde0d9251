/**
 * A hub built without a handler for a frame type its protocol defines refuses to start, naming the type,
 * instead of answering that frame with "unknown frame type" at run time. The handler registry is the one
 * part replaced: it registers everything but `ping`, as a forgotten registration would.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type * as Registry from '../../electron/hub/handlers/index.js';
import type { HandlerSpec, Router } from '../../electron/hub/ws/router.js';
import type { HubServices } from '../../electron/hub/services.js';
import { createHub } from '../../electron/hub/hub.js';
import { silentLogger } from '../../electron/common/logger.js';
import { startHub, tempFolders } from '../helpers/hub.js';

vi.mock('../../electron/hub/handlers/index.js', async (importOriginal) => {
  const registry = await importOriginal<typeof Registry>();
  return {
    registerHandlers(router: Router, s: HubServices): void {
      const forgetful: Router = {
        ...router,
        register: (spec: HandlerSpec) => {
          if (spec.type !== 'ping') router.register(spec);
        },
      };
      registry.registerHandlers(forgetful, s);
    },
  };
});

const folder = tempFolders();

describe('a hub missing a frame handler', () => {
  it('refuses to start, naming the frame type, writes no connection.json, and leaves the data folder free', async () => {
    const dataDir = folder();
    const hub = createHub({ dataDir, port: 0 }, { logger: silentLogger });
    const error = await hub.start().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    // The folder is not held by the refused hub: a second one claims it (and fails the same way).
    const again = await startHub({ dataDir }).catch((thrown: unknown) => thrown);
    expect({ message: (error as Error).message, connection: existsSync(join(dataDir, 'connection.json')), again: (again as Error).message }).toEqual({
      message: 'the hub has no handler for the client frame type "ping"; register one in handlers/index.ts',
      connection: false,
      again: (error as Error).message,
    });
  });
});
