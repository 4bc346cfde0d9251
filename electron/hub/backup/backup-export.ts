/**
 * Exporting a consistent copy of the database: from the running hub's own connection, or from the file
 * when no hub runs (holding the data folder's lock).
 *
 * A running hub is copied through its writer connection, in steps between turns of the event loop.
 * SQLite mirrors every page that connection writes during the copy into the copy, so the copy finishes
 * under constant load and holds every commit up to its end: every acknowledged message (acks follow
 * commits), and no half of a batch. From a second connection each hub commit would restart the copy.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { SwitchboardError } from '../../../shared/index.js';
import { databaseFile } from '../../common/data-dir.js';
import { DataDirInUseError, lockDataDir, type DataDirLock } from '../startup/data-dir-lock.js';
import type { Clock } from '../../common/clock.js';
import type { Db } from '../store/database.js';
import type { EventStore } from '../store/event-store.js';
import { readBackupInfo, type BackupInfo } from './backup-check.js';
import { openReadOnly, writeCopy } from './backup-file.js';

export interface BackupResult extends BackupInfo {
  /** The backup file, as given. */
  file: string;
  /** When the copy was finished: it holds what was committed up to then. ISO 8601, UTC. */
  createdAt: string;
}

const refuse = (message: string): SwitchboardError => new SwitchboardError('SB_ERR_VALIDATION', message);

/** The path a file would have once created: links in its folder resolved. */
function finalPath(file: string): string {
  return existsSync(file) ? realpathSync(file) : join(realpathSync(dirname(file)), basename(file));
}

/** Refuses a destination that is relative, in no folder, a folder itself, or the database being copied. */
export function checkDestination(destination: string, database: string): void {
  if (!isAbsolute(destination)) throw refuse(`the backup path must be absolute (got "${destination}")`);
  const folder = dirname(destination);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw refuse(`the folder ${folder} does not exist`);
  if (existsSync(destination) && statSync(destination).isDirectory()) throw refuse(`${destination} is a folder; give a file name`);
  const live = finalPath(database);
  if ([live, `${live}-wal`, `${live}-shm`].includes(finalPath(destination))) {
    throw refuse(`${destination} is the database itself; choose another file for the backup`);
  }
}

/** Copies `db` (the file `database`) to `destination` and says what the copy holds. */
export async function exportBackup(db: Db, database: string, destination: string, now: () => number = Date.now): Promise<BackupResult> {
  checkDestination(destination, database);
  await writeCopy(db, destination);
  const createdAt = new Date(now()).toISOString();
  const copy = openReadOnly(destination);
  try {
    return { file: destination, createdAt, ...readBackupInfo(copy, statSync(destination).size) };
  } finally {
    copy.close();
  }
}

/**
 * Backs up the database of a data folder no hub runs on (the CLI when the hub is down), holding the
 * folder's lock meanwhile so no hub starts on it; the database is only read.
 */
export async function backupDatabaseFile(dataDir: string, destination: string): Promise<BackupResult> {
  const database = databaseFile(dataDir);
  if (!existsSync(database)) throw new SwitchboardError('SB_ERR_NOT_FOUND', `there is no database at ${database}`);
  let lock: DataDirLock;
  try {
    lock = lockDataDir(dataDir, 'backup');
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      // A running hub makes the backup itself; this one did not answer at the address in connection.json.
      const when = error.holder?.purpose === 'hub' ? 'once it answers' : 'once it has finished';
      throw new SwitchboardError('SB_ERR_HUB_RUNNING', `${error.message}: try again ${when}.`);
    }
    throw error;
  }
  try {
    const db = openReadOnly(database);
    try {
      return await exportBackup(db, database, destination);
    } finally {
      db.close();
    }
  } finally {
    lock.release();
  }
}

export interface HubBackups {
  /** Writes a backup of the running hub's database to `destination` (an absolute file path). */
  backup(destination: string, actor?: string): Promise<BackupResult>;
  /** Refuses new backups and waits for those under way: the hub closes its database after this. */
  close(): Promise<void>;
}

/** @param refusal why no backup may be made now (a damaged database), or undefined. */
export function createHubBackups(deps: { db: Db; file: string; clock: Clock; events: EventStore; refusal?: () => SwitchboardError | undefined }): HubBackups {
  const running = new Set<Promise<unknown>>();
  let closed = false;
  const make = async (destination: string, actor: string | undefined): Promise<BackupResult> => {
    const result = await exportBackup(deps.db, deps.file, destination, () => deps.clock.now());
    const detail = { file: result.file, bytes: result.bytes, last_seq: result.lastSeq };
    deps.events.record('backup_created', deps.clock.now(), { actor: actor ?? null, detail });
    return result;
  };
  return {
    backup(destination, actor) {
      if (closed) return Promise.reject(new SwitchboardError('SB_ERR_SHUTTING_DOWN', 'the hub is stopping; no backup was made'));
      const refused = deps.refusal?.();
      if (refused !== undefined) return Promise.reject(refused);
      const made = make(destination, actor);
      const settled: Promise<unknown> = made.then(
        () => running.delete(settled),
        () => running.delete(settled),
      );
      running.add(settled);
      return made;
    },
    async close() {
      closed = true;
      await Promise.all(running);
    },
  };
}
