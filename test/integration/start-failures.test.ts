/**
 * A hub that cannot start: `switchboard serve` says why in one sentence and exits 1 with the stack in the
 * hub's log, and the desktop host shows the same sentence as its error state.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/common/logger.js';
import { createHubHost } from '../../electron/shell/hub-host.js';
import { runCli } from '../helpers/cli-process.js';
import { tempFolders } from '../helpers/hub.js';

const folder = tempFolders('switchboard-start-');

describe('switchboard serve that cannot start', () => {
  it('says in one sentence that a file is in the way of the data folder, and exits 1', async () => {
    const file = join(folder(), 'notes.txt');
    writeFileSync(file, 'not a folder');
    const dataDir = join(file, 'data');
    expect(await runCli(['serve', '--port', '0', '--data-dir', dataDir])).toEqual({
      code: 1,
      signal: null,
      stdout: '',
      stderr: `The data folder ${dataDir} cannot be made: part of that path is a file, not a folder (ENOTDIR). Move the file away, or use another data folder.\n`,
    });
  });

  it('says in one sentence that it cannot open its database, exits 1, writes no connection.json, and puts the stack in the log', async () => {
    const dataDir = folder();
    mkdirSync(join(dataDir, 'switchboard.db'));
    const result = await runCli(['serve', '--port', '0', '--data-dir', dataDir]);
    const logged = readFileSync(join(dataDir, 'logs', 'hub.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect({ result, connection: existsSync(join(dataDir, 'connection.json')), logged }).toEqual({
      result: {
        code: 1,
        signal: null,
        stdout: '',
        stderr: `Switchboard cannot open or write its files in ${dataDir} (SQLITE_CANTOPEN): make the folder and the files in it yours and writable, or use another data folder.\n`,
      },
      connection: false,
      logged: [
        {
          time: expect.any(String),
          level: 'error',
          message: 'hub could not start',
          error: expect.stringMatching(/^SqliteError: unable to open database file\n\s+at /),
        },
      ],
    });
  });
});

describe('the desktop host that cannot start its hub', () => {
  it('shows the sentence as its error state', async () => {
    const file = join(folder(), 'notes.txt');
    writeFileSync(file, 'not a folder');
    const dataDir = join(file, 'data');
    const host = createHubHost({ dataDir, hubOptions: { logger: silentLogger } });
    await host.start();
    expect(host.status()).toEqual({
      state: 'error',
      address: undefined,
      agentsOnline: 0,
      error: `The data folder ${dataDir} cannot be made: part of that path is a file, not a folder (ENOTDIR). Move the file away, or use another data folder.`,
      settingsProblem: undefined,
    });
  });
});
