/** The desktop app's embedded hub for tests: a host on a temp data folder, and agents connected to it. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type Agent } from '../../sdk/index.js';
import { readConnectionFile } from '../../electron/common/connection-file.js';
import { silentLogger } from '../../electron/common/logger.js';
import { createHubHost, type HubHost } from '../../electron/shell/hub-host.js';
import { SELFTEST_COMMAND, tempDir } from './hub.js';
import { FAST } from './sdk.js';

/** A host (not started) on a new data folder whose settings.json holds `settings` (default: any free port). */
export function testHost(settings: Record<string, unknown> = { port: 0 }): HubHost {
  const dataDir = tempDir();
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(settings));
  return createHubHost({ dataDir, hubOptions: { logger: silentLogger, selftest: { command: SELFTEST_COMMAND } } });
}

/** An SDK agent connected to the host's running hub, the way a local agent finds it: through connection.json. */
export async function hostAgent(host: HubHost, name: string): Promise<Agent> {
  const info = readConnectionFile(host.dataDir);
  if (info === undefined) throw new Error('no connection.json: is the hub running?');
  return connect({ url: info.url, token: info.token, agent: name, stateDir: false, reconnect: FAST });
}
