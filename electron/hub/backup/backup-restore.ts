/**
 * Restoring a backup: with the hub stopped, the checked backup replaces switchboard.db in one rename, and
 * the database it replaces is kept in the backups folder. A backup with an older schema is fine: the
 * hub's migrations bring it up to date when it next starts.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SwitchboardError } from '../../../shared/index.js';
import { databaseFile, ensureDataDir } from '../../common/data-dir.js';
import { DataDirInUseError, lockDataDir, type DataDirLock } from '../startup/data-dir-lock.js';
import { checkBackupFile, type BackupInfo } from './backup-check.js';
import { backupsFolder, beforeRestoreName, copyBeside, moveIntoPlace, openReadOnly, removeQuietly, writeCopy } from './backup-file.js';

export interface RestoreResult {
  /** Where the database that was replaced is kept; undefined when the data folder had none. */
  replacedBackup: string | undefined;
  /** What the restored database holds. */
  info: BackupInfo;
}

/** A path in `folder` for `name` that no file has yet. */
function freshPath(folder: string, name: string): string {
  let path = join(folder, name);
  for (let n = 2; existsSync(path); n++) path = join(folder, name.replace(/\.db$/, `-${n}.db`));
  return path;
}

/**
 * Keeps the current database, WAL contents included, as a consistent copy. A database SQLite cannot read
 * is kept byte for byte with its WAL instead, so a restore over a broken database loses nothing either.
 */
async function keepReplaced(live: string, destination: string): Promise<void> {
  try {
    const db = openReadOnly(live);
    try {
      await writeCopy(db, destination);
    } finally {
      db.close();
    }
  } catch {
    copyFileSync(live, destination);
    if (existsSync(`${live}-wal`)) copyFileSync(`${live}-wal`, `${destination}-wal`);
  }
}

/**
 * Replaces the data folder's database with `source`. The hub must be stopped (the caller stops it): while
 * any process holds the data folder's lock, SB_ERR_HUB_RUNNING names it. A file that fails the check is
 * refused before anything in the data folder is touched.
 */
export async function restoreBackup(options: { dataDir: string; source: string; now?: number }): Promise<RestoreResult> {
  const info = await checkBackupFile(options.source);
  ensureDataDir(options.dataDir);
  const lock = lockForRestore(options.dataDir);
  try {
    return { replacedBackup: await replace(options.dataDir, options.source, options.now ?? Date.now()), info };
  } finally {
    lock.release();
  }
}

/** The data folder's lock for the whole restore: no hub runs on it, and none starts until the new database is in place. */
function lockForRestore(dataDir: string): DataDirLock {
  try {
    return lockDataDir(dataDir, 'restore');
  } catch (error) {
    if (error instanceof DataDirInUseError) throw new SwitchboardError('SB_ERR_HUB_RUNNING', `${error.message}: stop it first, then restore.`);
    throw error;
  }
}

/** Keeps the database in place, if any, and puts `source` in its place; returns where the replaced one is kept. */
async function replace(dataDir: string, source: string, now: number): Promise<string | undefined> {
  const live = databaseFile(dataDir);
  let replacedBackup: string | undefined;
  if (existsSync(live)) {
    const folder = backupsFolder(dataDir);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    replacedBackup = freshPath(folder, beforeRestoreName(now));
    await keepReplaced(live, replacedBackup);
  }
  // Through SQLite rather than a file copy, so a source with a WAL of its own comes with what the WAL holds.
  const copy = openReadOnly(source);
  let temp: string;
  try {
    temp = await copyBeside(copy, live);
  } finally {
    copy.close();
  }
  // The old WAL goes before the new file arrives: a WAL replayed into another database would corrupt it.
  removeQuietly(`${live}-wal`);
  removeQuietly(`${live}-shm`);
  moveIntoPlace(temp, live);
  return replacedBackup;
}
