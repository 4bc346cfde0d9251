/**
 * `switchboard backup <file>`: a consistent copy of the database, from the running hub or, when none
 * answers, from the file. `switchboard restore <file>`: with the hub stopped, checks a backup and puts it
 * in place of the database, keeping the one it replaces. A backup from the file and a restore hold the
 * data folder's lock while they work, and refuse while another process holds it.
 */
import { statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { SwitchboardError } from '../../shared/index.js';
import { SCHEMA_VERSION, backupDatabaseFile, restoreBackup } from '../hub/index.js';
import { readConnectionFile } from '../common/connection-file.js';
import { DATABASE_FILE, databaseFile, resolveDataDir } from '../common/data-dir.js';
import { callHub, CliError, HubUnreachableError } from './hub-client.js';
import { formatBytes, progressLine, watchCopy } from './progress.js';

interface BackupOptions {
  dataDir?: string | undefined;
}

function parse(path: string, options: BackupOptions): { file: string; dataDir: string } {
  // The hub runs in another folder: a relative path means one from where the command was typed.
  return { file: resolve(path), dataDir: resolveDataDir(options.dataDir) };
}

/** A database's size with what its WAL holds: about what a copy of it writes. */
function databaseBytes(file: string): number {
  const size = (path: string): number => statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  return size(file) + size(`${file}-wal`);
}

/** Runs `work` while a terminal shows how far the copy into `destination` has come. */
async function showingCopy<T>(destination: string, expectedBytes: number, labels: { waiting: string; copying: string }, work: Promise<T>): Promise<T> {
  const stop = watchCopy({ folder: dirname(destination), name: basename(destination), expectedBytes, ...labels }, progressLine());
  try {
    return await work;
  } finally {
    stop();
  }
}

const summary = (copy: { bytes: number; messages: number; lastSeq: number }): string =>
  `${formatBytes(copy.bytes)}, ${copy.messages} messages, last seq ${copy.lastSeq}`;

/** A refusal from the backup module as the CLI's one-line error: code, then what is wrong. */
async function refusalsAsCliErrors<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof SwitchboardError) throw new CliError(`${error.code}: ${error.message}`);
    throw error;
  }
}

export async function backup(path: string, options: BackupOptions): Promise<void> {
  const { file, dataDir } = parse(path, options);
  const connection = readConnectionFile(dataDir);
  if (connection !== undefined) {
    try {
      const labels = { waiting: 'Asking the hub for a backup', copying: 'The hub is backing up' };
      const body = await showingCopy(file, databaseBytes(databaseFile(dataDir)), labels, callHub(connection, 'POST', '/api/backups', { body: { path: file } }));
      const made = body['backup'] as { bytes: number; messages: number; last_seq: number };
      process.stdout.write(`Backed up the running hub to ${file}: ${summary({ ...made, lastSeq: made.last_seq })}.\n`);
      return;
    } catch (error) {
      if (!(error instanceof HubUnreachableError)) throw error;
    }
  }
  const labels = { waiting: 'Opening the database', copying: 'Backing up' };
  const made = await refusalsAsCliErrors(showingCopy(file, databaseBytes(databaseFile(dataDir)), labels, backupDatabaseFile(dataDir, file)));
  process.stdout.write(`The hub is not running; backed up ${databaseFile(dataDir)} to ${file}: ${summary(made)}.\n`);
}

export async function restore(path: string, options: BackupOptions): Promise<void> {
  const { file, dataDir } = parse(path, options);
  // The backup is checked in full first (the slow part on a large file), then copied into place.
  const labels = { waiting: `Checking ${file}`, copying: 'Restoring' };
  const restoring = restoreBackup({ dataDir, source: file });
  const { info, replacedBackup } = await refusalsAsCliErrors(showingCopy(resolve(dataDir, DATABASE_FILE), databaseBytes(file), labels, restoring));
  const lines = [`Restored ${file} to ${databaseFile(dataDir)}: ${summary(info)}, schema version ${info.schemaVersion}.`];
  if (info.schemaVersion < SCHEMA_VERSION) lines.push(`The hub upgrades it to schema version ${SCHEMA_VERSION} when it next starts.`);
  lines.push(replacedBackup === undefined ? 'There was no database to replace.' : `The database it replaced is kept at ${replacedBackup}.`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
