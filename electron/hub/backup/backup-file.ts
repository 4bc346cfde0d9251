/**
 * Backup files: their names, and how one is written. A copy is made with SQLite's online backup API into
 * a temporary file beside its destination, and only a finished copy is renamed to the final name.
 */
import { chmodSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from '../store/database.js';

/** The folder for backups the hub names itself (the default destination, the copy kept on restore). */
export function backupsFolder(dataDir: string): string {
  return join(dataDir, 'backups');
}

const SCHEDULED_NAME = /^switchboard-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})\.db$/;

/** 20260131-235959 for 2026-01-31T23:59:59Z: UTC, so names sort by time whatever the time zone and DST. */
function stamp(time: number): string {
  return new Date(time).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** `switchboard-20260131-235959.db`: the only name the scheduler writes, and so the only one it prunes. */
export function scheduledBackupName(time: number): string {
  return `switchboard-${stamp(time)}.db`;
}

/** The time in a scheduled backup's name; undefined for every other name. */
export function scheduledBackupTime(name: string): number | undefined {
  const parts = SCHEDULED_NAME.exec(name)?.slice(1).map(Number);
  if (parts === undefined) return undefined;
  const [year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0] = parts;
  const time = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 20260231 over to March; such a name was not written by the scheduler.
  return scheduledBackupName(time) === name ? time : undefined;
}

/** A backup asked for without a file name; unlike a scheduled one, never pruned. */
export function manualBackupName(time: number): string {
  return `switchboard-${stamp(time)}-manual.db`;
}

export function beforeRestoreName(time: number): string {
  return `before-restore-${stamp(time)}.db`;
}

let temps = 0;

export function removeQuietly(file: string): void {
  rmSync(file, { force: true });
}

/**
 * Copies `source` into a new file beside `destination` and returns that file's name; the caller renames
 * it into place. The copy is switched to a rollback journal, so it is one self-contained file (a copy of
 * a WAL database would otherwise grow -wal and -shm files whenever it is opened), readable by its owner only.
 */
export async function copyBeside(source: Db, destination: string): Promise<string> {
  const temp = join(dirname(destination), `.${basename(destination)}.${process.pid}-${++temps}.tmp`);
  try {
    await source.backup(temp);
    const copy = new Database(temp, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    chmodSync(temp, 0o600);
    return temp;
  } catch (error) {
    removeQuietly(temp);
    throw error;
  }
}

/** Renames a finished copy to its final name (atomically, on the same file system); the copy goes if that fails. */
export function moveIntoPlace(temp: string, destination: string): void {
  try {
    renameSync(temp, destination);
  } catch (error) {
    removeQuietly(temp);
    throw error;
  }
}

/** Copies `source` to `destination` through a temp file: a half-written copy never carries the final name. */
export async function writeCopy(source: Db, destination: string): Promise<void> {
  moveIntoPlace(await copyBeside(source, destination), destination);
}

/** Opens a database file read-only; reads see what its WAL holds too. */
export function openReadOnly(file: string): Db {
  return new Database(file, { readonly: true, fileMustExist: true });
}
