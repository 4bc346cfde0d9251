import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startFailureMessage } from '../../electron/hub/startup/start-failure.js';
import { HubStartError } from '../../electron/common/start-error.js';
import { tempDir } from '../helpers/hub.js';

const context = { dataDir: '/home/me/.config/Switchboard', host: '127.0.0.1', port: 8765 };

/** What a call threw. */
function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

/** An error as Node's fs and net raise it, for the failures a test cannot cause as any user (root writes everywhere). */
function osError(code: string, syscall: string, path?: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${syscall}${path === undefined ? '' : ` '${path}'`}`), { code, syscall, ...(path === undefined ? {} : { path }) });
}

describe('why a hub could not start', () => {
  it('names a file in the way of the data folder, from the error mkdir really gives', () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, '');
    const dataDir = join(file, 'data');
    const error = thrown(() => mkdirSync(dataDir, { recursive: true }));
    expect(startFailureMessage(error, { ...context, dataDir })).toBe(
      `The data folder ${dataDir} cannot be made: part of that path is a file, not a folder (ENOTDIR). Move the file away, or use another data folder.`,
    );
  });

  it('says SQLite cannot open or write the files in the data folder, from the errors SQLite really gives', () => {
    const folderInstead = join(tempDir(), 'switchboard.db');
    mkdirSync(folderInstead);
    const cannotOpen = thrown(() => new Database(folderInstead));
    const file = join(tempDir(), 'switchboard.db');
    new Database(file).close();
    const readOnly = thrown(() => new Database(file, { readonly: true }).exec('CREATE TABLE t (x)'));
    expect([cannotOpen, readOnly].map((error) => startFailureMessage(error, context))).toEqual([
      `Switchboard cannot open or write its files in ${context.dataDir} (SQLITE_CANTOPEN): make the folder and the files in it yours and writable, or use another data folder.`,
      `Switchboard cannot open or write its files in ${context.dataDir} (SQLITE_READONLY): make the folder and the files in it yours and writable, or use another data folder.`,
    ]);
  });

  it('names the file and what to do for no permission, a read-only file system and a full disk', () => {
    const lock = join(context.dataDir, 'hub.lock');
    expect(
      [
        osError('EACCES', 'open', lock),
        osError('EPERM', 'chmod', lock),
        osError('EROFS', 'mkdir', context.dataDir),
        osError('ENOSPC', 'write'),
        osError('SQLITE_FULL', 'write'),
      ].map((error) => startFailureMessage(error, context)),
    ).toEqual([
      `Switchboard may not write ${lock} (EACCES): make the data folder ${context.dataDir} and the files in it yours and writable, or use another data folder.`,
      `Switchboard may not write ${lock} (EPERM): make the data folder ${context.dataDir} and the files in it yours and writable, or use another data folder.`,
      `The data folder ${context.dataDir} is on a read-only file system (EROFS writing ${context.dataDir}): the hub writes its database there, so use a writable folder.`,
      `The disk that holds the data folder ${context.dataDir} is full (ENOSPC): free some space, then start the hub again.`,
      `The disk that holds the data folder ${context.dataDir} is full (SQLITE_FULL): free some space, then start the hub again.`,
    ]);
  });

  it('says why the hub cannot listen on a privileged port or an address this machine does not have', () => {
    expect(
      [osError('EACCES', 'listen'), osError('EADDRNOTAVAIL', 'listen')].map((error) => startFailureMessage(error, { ...context, host: '10.1.2.3', port: 80 })),
    ).toEqual([
      'Switchboard may not listen on port 80 of 10.1.2.3 (EACCES): ports below 1024 need administrator rights, so choose a port from 1024 up.',
      '10.1.2.3 is not an address of this machine (EADDRNOTAVAIL), so the hub cannot listen there: use 127.0.0.1, or an address this machine has.',
    ]);
  });

  it('keeps the sentence of a HubStartError, and gives the first line of anything else', () => {
    expect(
      [new HubStartError('The data folder is in use.'), new Error('something odd\n    at somewhere (file.js:1:1)')].map((error) =>
        startFailureMessage(error, context),
      ),
    ).toEqual(['The data folder is in use.', 'The hub could not start: something odd']);
  });
});
