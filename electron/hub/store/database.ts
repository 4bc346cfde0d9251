/** Opens the hub's SQLite file: WAL, synchronous=NORMAL, a busy timeout, and migrations up to date. */
import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

export type Db = Database.Database;

export function openDatabase(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a commit survives a crash of the process (kill -9); only power loss can undo the last ones.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(`The database schema is version ${current}, newer than this Switchboard (${SCHEMA_VERSION}). Update Switchboard.`);
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] ?? '');
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

/** Writes the WAL back into the main file and closes; called last when the hub stops. */
export function closeDatabase(db: Db): void {
  if (!db.open) return;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // A full disk refused the checkpoint: the WAL keeps every commit and the next open replays it.
  }
  db.close();
}

/**
 * Closes without writing anything to the file, for a damaged database. The last connection to close a WAL
 * database checkpoints it into the file, so a read-only one that has read the schema is held open meanwhile.
 */
export function closeUntouched(db: Db): void {
  if (!db.open) return;
  let holder: Db | undefined;
  try {
    holder = new Database(db.name, { readonly: true, fileMustExist: true });
    holder.pragma('schema_version');
  } catch {
    // SQLite cannot read even the schema: there is nothing more to protect by holding it open.
  }
  db.close();
  holder?.close();
}

/**
 * Opens a damaged database read-only, without migrations or pragmas that write: the hub then serves what
 * can still be read. Throws when SQLite cannot read it at all.
 */
export function openReadOnlyDatabase(file: string): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('schema_version');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
