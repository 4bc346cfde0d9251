/**
 * What a hub does to its data folder before it opens anything: takes the folder's lock (or refuses to
 * start, naming the hub that holds it), removes temporary files killed processes left, and makes the
 * database files owner-only.
 */
import { chmodSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { backupsFolder } from '../backup/backup-file.js';
import type { HubConfig } from '../config.js';
import { databaseFile, ensureDataDir } from '../../common/data-dir.js';
import { DataDirInUseError, isRunning, lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { HubStartError } from '../../common/start-error.js';

export interface DataDirClaim extends DataDirLock {
  /** Temporary files of killed processes that were removed. */
  removed: string[];
}

/** A backup or restore copy under way, `.NAME.PID-N.tmp` (with SQLite's journal while it is written). */
const COPY = /^\..+\.(\d+)-\d+\.tmp(?:-journal)?$/;
/** The data folder's files while they are replaced, `NAME.PID.tmp`. */
const REPLACEMENT = /^(?:connection|settings|hub\.lock)\.json\.(\d+)\.tmp$/;

/** Claims the data folder for a hub; HubStartError when another process holds it. */
export function claimDataDir(config: HubConfig): DataDirClaim {
  ensureDataDir(config.dataDir);
  let lock: DataDirLock;
  try {
    lock = lockDataDir(config.dataDir, 'hub');
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      throw new HubStartError(`${error.message}: stop that one first, or use another data folder.`, { cause: error });
    }
    throw error;
  }
  try {
    const backups = [backupsFolder(config.dataDir), ...(config.backupFolder === null ? [] : [config.backupFolder])];
    const removed = [...removeLeftovers(config.dataDir, [COPY, REPLACEMENT]), ...backups.flatMap((folder) => removeLeftovers(folder, [COPY]))];
    makeDatabasePrivate(databaseFile(config.dataDir));
    return { removed, release: lock.release };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * Removes the temporary files in `folder` (names matching `patterns`, whose first group is the writer's
 * pid) whose writer is no longer running. Files of running processes stay: a backup folder may be shared
 * with the hub of another data folder. Best effort: a folder or file that cannot be read or removed
 * (a backup folder that is not one) never stops a start.
 */
function removeLeftovers(folder: string, patterns: RegExp[]): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = patterns.map((pattern) => pattern.exec(name)?.[1]).find((found) => found !== undefined);
    if (pid === undefined || isRunning(Number(pid))) continue;
    try {
      rmSync(join(folder, name), { force: true });
      removed.push(join(folder, name));
    } catch {
      // Left for the next start.
    }
  }
  return removed;
}

/**
 * The database, -wal and -shm readable and writable by the user only. SQLite gives -wal and -shm the
 * mode of the database file, so a new database is created 0600 before SQLite opens it, and files an older
 * Switchboard left are tightened (by path: opening one could drop a lock SQLite holds in this process).
 */
function makeDatabasePrivate(file: string): void {
  try {
    writeFileSync(file, '', { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (process.platform === 'win32') return;
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(path) && statSync(path).isFile()) chmodSync(path, 0o600);
  }
}
