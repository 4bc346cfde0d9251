/**
 * A hub without a `federation` section never loads the NATS client; one with it does, at start. Each hub
 * runs in a Node process of its own that records every package it resolves.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempFolders } from '../helpers/hub.js';
import { unusedPort } from '../helpers/ports.js';

const HUB_ENTRY = pathToFileURL(fileURLToPath(new URL('../../dist/electron/hub/index.js', import.meta.url))).href;
const run = promisify(execFile);
const folder = tempFolders('switchboard-lazy-');

/** Starts and stops a hub with `settings` in a fresh process; returns the @nats-io packages it resolved. */
async function natsPackagesLoaded(settings: Record<string, unknown>): Promise<string[]> {
  const script = `
import { registerHooks } from 'node:module';
const loaded = new Set();
registerHooks({
  resolve(specifier, context, next) {
    if (specifier.startsWith('@nats-io/')) loaded.add(specifier);
    return next(specifier, context);
  },
});
const { createHub } = await import(${JSON.stringify(HUB_ENTRY)});
const hub = createHub(${JSON.stringify(settings)});
await hub.start();
await hub.stop();
console.log(JSON.stringify([...loaded].sort()));
`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as string[];
}

describe('the NATS client is loaded only for federation', () => {
  it('is not loaded by a hub without a federation section, and is by one with it', async () => {
    const nowhere = `nats://127.0.0.1:${await unusedPort()}`;
    const [alone, federated] = await Promise.all([
      natsPackagesLoaded({ dataDir: folder(), port: 0 }),
      natsPackagesLoaded({ dataDir: folder(), port: 0, federation: { url: nowhere, hubId: 'lazy', conversations: ['team-*'] } }),
    ]);
    expect({ alone, federated }).toEqual({ alone: [], federated: expect.arrayContaining(['@nats-io/jetstream', '@nats-io/transport-node']) });
  });
});
