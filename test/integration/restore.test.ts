/** Checking and restoring backups: real hubs, real backup files, and broken files of every kind refused with the data folder untouched. */
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { checkBackupFile, restoreBackup } from '../../electron/hub/backup/index.js';
import { SCHEMA_VERSION } from '../../electron/hub/store/migrations.js';
import { folderSnapshot, inspect, messageRows, olderDatabase } from '../helpers/backups.js';
import { api, startHub, tempFolders, type TestHub } from '../helpers/hub.js';
import { storedMessages } from '../helpers/messages.js';

const folder = tempFolders('switchboard-restore-');

const post = (hub: TestHub, content: string): Promise<unknown> => api(hub, 'POST', '/api/messages', { body: { conversation_id: 'general', content } });

/** A data folder whose stopped hub stored `contents`, and a backup of it taken after the first `backedUp` of them. */
async function dataDirWithBackup(contents: string[], backedUp: number): Promise<{ dataDir: string; backup: string }> {
  const dataDir = folder();
  const backup = join(folder(), 'backup.db');
  const hub = await startHub({ dataDir });
  for (const content of contents.slice(0, backedUp)) await post(hub, content);
  await hub.hub.backup(backup);
  for (const content of contents.slice(backedUp)) await post(hub, content);
  await hub.stop();
  return { dataDir, backup };
}

/** What `work` threw: its code and message. */
const refusal = (work: Promise<unknown>): Promise<string> =>
  work.then(
    () => 'no refusal',
    (error: { code?: string; message?: string }) => `${error.code}: ${error.message}`,
  );

describe('restoreBackup', () => {
  it('puts the backup in place, and a hub started afterwards sees exactly its messages; the replaced database is kept whole', async () => {
    const { dataDir, backup } = await dataDirWithBackup(['one', 'two', 'three', 'four', 'five'], 3);
    const result = await restoreBackup({ dataDir, source: backup, now: Date.UTC(2026, 10, 22, 10, 15, 0) });
    const replaced = await checkBackupFile(result.replacedBackup ?? '');
    const hub = await startHub({ dataDir });
    const messages = await storedMessages(hub, 'general');
    await hub.stop();
    expect({
      result,
      replaced: { messages: replaced.messages, lastSeq: replaced.lastSeq },
      replacedContents: messageRows(result.replacedBackup ?? '').map((m) => m.content),
      afterRestart: messages.map((m) => [m.seq, m.content]),
    }).toEqual({
      result: {
        replacedBackup: join(dataDir, 'backups', 'before-restore-20261122-101500.db'),
        info: { schemaVersion: SCHEMA_VERSION, messages: 3, tasks: 0, lastSeq: 3, bytes: statSync(backup).size },
      },
      replaced: { messages: 5, lastSeq: 5 },
      replacedContents: ['one', 'two', 'three', 'four', 'five'],
      afterRestart: [
        [1, 'one'],
        [2, 'two'],
        [3, 'three'],
      ],
    });
  });

  it('keeps each replaced database when two restores come in the same second', async () => {
    const { dataDir, backup } = await dataDirWithBackup(['one', 'two'], 1);
    const now = Date.UTC(2026, 10, 22, 10, 15, 0);
    const first = await restoreBackup({ dataDir, source: backup, now });
    const second = await restoreBackup({ dataDir, source: backup, now });
    expect([first.replacedBackup, second.replacedBackup].map((file) => messageRows(file ?? '').length)).toEqual([2, 1]);
    expect(second.replacedBackup).toBe(join(dataDir, 'backups', 'before-restore-20261122-101500-2.db'));
  });

  it('restores a backup with an older schema, which the next hub start upgrades', async () => {
    const dataDir = (await dataDirWithBackup(['current'], 1)).dataDir;
    const old = join(folder(), 'old.db');
    olderDatabase(old, 6, ['from an older Switchboard']);
    const { info } = await restoreBackup({ dataDir, source: old });
    const hub = await startHub({ dataDir });
    const messages = await storedMessages(hub, 'old-times');
    const found = await api(hub, 'GET', '/api/search?q=older');
    await hub.stop();
    expect({
      version: info.schemaVersion,
      messages: messages.map((m) => m.content),
      found: (found.body['results'] as { content: string }[]).map((r) => r.content),
      upgraded: inspect(join(dataDir, 'switchboard.db')),
    }).toEqual({
      version: 6,
      messages: ['from an older Switchboard'],
      found: ['from an older Switchboard'],
      upgraded: { integrity: 'ok', version: SCHEMA_VERSION },
    });
  });

  it('refuses a damaged, foreign, newer, empty or missing file with its code, and touches nothing in the data folder', async () => {
    const { dataDir, backup } = await dataDirWithBackup(['one', 'two'], 2);
    const files = folder();
    const at = (name: string): string => join(files, name);
    copyFileSync(backup, at('half.db'));
    truncateSync(at('half.db'), Math.floor(statSync(backup).size / 2));
    writeFileSync(at('notes.txt'), 'not a database at all\n');
    const foreign = new Database(at('foreign.db'));
    foreign.exec('CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES (1)');
    foreign.close();
    copyFileSync(backup, at('newer.db'));
    const newer = new Database(at('newer.db'));
    newer.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    newer.close();
    writeFileSync(at('empty.db'), '');
    const before = folderSnapshot(dataDir);
    const refusals = [];
    for (const name of ['half.db', 'notes.txt', 'foreign.db', 'newer.db', 'empty.db', 'missing.db']) {
      refusals.push(await refusal(restoreBackup({ dataDir, source: at(name) })));
    }
    expect({ refusals, untouched: folderSnapshot(dataDir), backups: existsSync(join(dataDir, 'backups')) }).toEqual({
      refusals: [
        expect.stringMatching(new RegExp(`^SB_ERR_BACKUP_INVALID: ${at('half.db')} is damaged`)),
        `SB_ERR_BACKUP_INVALID: ${at('notes.txt')} is not an SQLite database, so not a Switchboard backup.`,
        `SB_ERR_BACKUP_INVALID: ${at('foreign.db')} is an SQLite database, but not a Switchboard one (it has no conversations).`,
        `SB_ERR_BACKUP_NEWER: ${at('newer.db')} was made by a newer Switchboard (schema version ${SCHEMA_VERSION + 1}; this one knows up to ${SCHEMA_VERSION}). Update Switchboard to restore it.`,
        `SB_ERR_BACKUP_INVALID: ${at('empty.db')} is empty.`,
        `SB_ERR_BACKUP_INVALID: There is no file at ${at('missing.db')}.`,
      ],
      untouched: before,
      backups: false,
    });
  });

  it('refuses while a hub holds the data folder, naming its pid and address', async () => {
    const { dataDir, backup } = await dataDirWithBackup(['one'], 1);
    const hub = await startHub({ dataDir });
    try {
      const refused = await refusal(restoreBackup({ dataDir, source: backup }));
      expect({ refused, backups: existsSync(join(dataDir, 'backups')) }).toEqual({
        refused: `SB_ERR_HUB_RUNNING: The data folder ${dataDir} is in use by a Switchboard hub (pid ${process.pid}, ${hub.http}): stop it first, then restore.`,
        backups: false,
      });
    } finally {
      await hub.stop();
    }
  });

  it('restores over a database SQLite cannot read, keeping that one byte for byte', async () => {
    const { dataDir, backup } = await dataDirWithBackup(['one'], 1);
    writeFileSync(join(dataDir, 'switchboard.db'), 'garbage where the database was');
    const { replacedBackup } = await restoreBackup({ dataDir, source: backup });
    expect({
      kept: readFileSync(replacedBackup ?? '', 'utf8'),
      restored: messageRows(join(dataDir, 'switchboard.db')).map((m) => m.content),
      dataDir: readdirSync(dataDir).sort(),
    }).toEqual({
      kept: 'garbage where the database was',
      restored: ['one'],
      dataDir: ['backups', 'callback-secret.json', 'connection.json', 'hub.lock', 'switchboard.db'],
    });
  });

  it('restores into a data folder that has no database yet', async () => {
    const { backup } = await dataDirWithBackup(['one'], 1);
    const dataDir = join(folder(), 'new');
    const result = await restoreBackup({ dataDir, source: backup });
    expect({ replaced: result.replacedBackup, contents: messageRows(join(dataDir, 'switchboard.db')).map((m) => m.content) }).toEqual({
      replaced: undefined,
      contents: ['one'],
    });
  });
});
