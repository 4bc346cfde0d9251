/**
 * Restoring a backup: with the hub stopped, the checked backup replaces switchboard.db in one rename, and
 * the database it replaces is kept in the backups folder. A backup with an older schema is fine: the
 * hub's migrations bring it up to date when it next starts.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SwitchboardError } from '../../../shared/index.js';
import { databaseFile, ensureDataDir } from '../data-dir.js';
import { checkBackupFile, type BackupInfo } from './backup-check.js';
import { backupsFolder, beforeRestoreName, copyBeside, moveIntoPlace, openReadOnly, removeQuietly, writeCopy } from './backup-file.js';

export interface RestoreResult {
  /** Where the database that was replaced is kept; undefined when the data folder had none. */
  replacedBackup: string | undefined;
  /** What the restored database holds. */
  info: BackupInfo;
}

/** How long to wait for another connection to let go of the database before calling it in use. */
const IN_USE_WAIT_MS = 200;

/**
 * Refuses while any connection has the database open, whatever process it is in: a WAL connection holds a
 * shared lock on the file as long as it is open, so an exclusive lock is refused. A database SQLite cannot
 * read at all has no hub on it, and is left for the restore to replace.
 */
function refuseIfInUse(file: string): void {
  let probe: Database.Database | undefined;
  try {
    probe = new Database(file, { fileMustExist: true, timeout: IN_USE_WAIT_MS });
    probe.pragma('locking_mode = EXCLUSIVE');
    probe.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new SwitchboardError('SB_ERR_HUB_RUNNING', `${file} is in use by a running hub: stop the hub first, then restore.`);
    }
  } finally {
    probe?.close();
  }
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
 * Replaces the data folder's database with `source`. The hub must be stopped (the caller stops it). A file
 * that fails the check is refused before anything in the data folder is touched.
 */
export async function restoreBackup(options: { dataDir: string; source: string; now?: number }): Promise<RestoreResult> {
  const info = await checkBackupFile(options.source);
  const live = databaseFile(options.dataDir);
  let replacedBackup: string | undefined;
  if (existsSync(live)) {
    refuseIfInUse(live);
    const folder = backupsFolder(options.dataDir);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    replacedBackup = freshPath(folder, beforeRestoreName(options.now ?? Date.now()));
    await keepReplaced(live, replacedBackup);
  } else {
    ensureDataDir(options.dataDir);
  }
  // Through SQLite rather than a file copy, so a source with a WAL of its own comes with what the WAL holds.
  const source = openReadOnly(options.source);
  let temp: string;
  try {
    temp = await copyBeside(source, live);
  } finally {
    source.close();
  }
  // The old WAL goes before the new file arrives: a WAL replayed into another database would corrupt it.
  removeQuietly(`${live}-wal`);
  removeQuietly(`${live}-shm`);
  moveIntoPlace(temp, live);
  return { replacedBackup, info };
}
