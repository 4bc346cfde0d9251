/**
 * One process at a time on a data folder: an OS-level lock on DATA_DIR/hub.lock, held by a running hub
 * (and by a restore or an offline backup while it works) and released by the OS when the process ends,
 * even by kill -9, so a crash never blocks the next start.
 *
 * Node has no flock, so the lock is SQLite's: an exclusive transaction on an empty database file, kept
 * open. SQLite takes POSIX fcntl locks (LockFileEx on Windows), and it also refuses a second connection
 * in the same process, which plain POSIX locks would not. POSIX drops every lock a process holds on a
 * file when any descriptor of that file is closed, so nothing else in the process may open hub.lock.
 */
import { chmodSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { readConnectionFile } from '../../common/connection-file.js';

export const LOCK_FILE = 'hub.lock';
/** Who holds the lock (pid, what for), written beside it, for the message a refused process gives. */
export const LOCK_OWNER_FILE = 'hub.lock.json';

export type LockPurpose = 'hub' | 'restore' | 'backup';

export interface LockHolder {
  pid: number;
  purpose: LockPurpose;
  /** A hub's address, once it listens (from connection.json, when the holder wrote it). */
  address: string | undefined;
}

export interface DataDirLock {
  /** Lets go of the data folder; a second call does nothing. */
  release(): void;
}

/** The data folder is held by another hub, restore or backup: `holder` says which, when it can be told. */
export class DataDirInUseError extends Error {
  constructor(
    dataDir: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(`The data folder ${dataDir} is in use by ${describeHolder(holder)}`);
    this.name = 'DataDirInUseError';
  }
}

/** "a Switchboard hub (pid 4242, http://127.0.0.1:8765)", for the sentences refusals are made of. */
function describeHolder(holder: LockHolder | undefined): string {
  if (holder === undefined) return 'another Switchboard process';
  if (holder.purpose !== 'hub') return `a Switchboard ${holder.purpose} (pid ${holder.pid})`;
  return `a Switchboard hub (pid ${holder.pid}, ${holder.address ?? 'still starting'})`;
}

/** Takes the data folder's lock, or throws DataDirInUseError at once (never waits). The folder must exist. */
export function lockDataDir(dataDir: string, purpose: LockPurpose): DataDirLock {
  const file = join(dataDir, LOCK_FILE);
  createPrivate(file);
  const db = takeLock(file, dataDir);
  const owner = join(dataDir, LOCK_OWNER_FILE);
  try {
    writeOwner(owner, { pid: process.pid, purpose, since: new Date().toISOString() });
  } catch (error) {
    db.close();
    throw error;
  }
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      // Before the lock goes, so the next holder's file is never the one removed.
      rmSync(owner, { force: true });
      db.close();
    },
  };
}

/** The process holding the data folder, when the lock is held and the owner file says who (else undefined). */
function readLockHolder(dataDir: string): LockHolder | undefined {
  let owner: { pid?: unknown; purpose?: unknown };
  try {
    owner = JSON.parse(readFileSync(join(dataDir, LOCK_OWNER_FILE), 'utf8')) as typeof owner;
  } catch {
    return undefined;
  }
  const { pid, purpose } = owner;
  if (typeof pid !== 'number' || (purpose !== 'hub' && purpose !== 'restore' && purpose !== 'backup') || !isRunning(pid)) return undefined;
  const connection = purpose === 'hub' ? readConnectionFile(dataDir) : undefined;
  return { pid, purpose, address: connection?.pid === pid ? connection.http : undefined };
}

function takeLock(file: string, dataDir: string): Database.Database {
  for (let attempt = 0; ; attempt++) {
    const db = new Database(file, { timeout: 0 });
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      // No journal file beside the lock: nothing is ever written to it.
      db.pragma('journal_mode = MEMORY');
      db.exec('BEGIN EXCLUSIVE');
      return db;
    } catch (error) {
      db.close();
      const code = (error as { code?: string }).code;
      if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') throw new DataDirInUseError(dataDir, readLockHolder(dataDir));
      // Something wrote into the lock file. SQLite answers busy before it reads a held file, so none holds
      // this one: its content never matters, and it starts again empty.
      if ((code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') && attempt === 0) {
        truncateSync(file);
        continue;
      }
      throw error;
    }
  }
}

/** Creates the file owner-only; an existing one is tightened by path (opening it could drop a lock this process holds). */
function createPrivate(file: string): void {
  try {
    writeFileSync(file, '', { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (process.platform !== 'win32') chmodSync(file, 0o600);
  }
}

function writeOwner(file: string, owner: { pid: number; purpose: LockPurpose; since: string }): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(owner)}\n`, { mode: 0o600 });
  renameSync(temp, file);
}

/** Is a process with this id running? (EPERM: it runs, as another user.) */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
