/**
 * Is this file a Switchboard database this Switchboard can use? Read-only; each refusal says in plain
 * words what is wrong, with SB_ERR_BACKUP_INVALID or SB_ERR_BACKUP_NEWER.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { SwitchboardError } from '../../../shared/index.js';
import type { Db } from '../store/database.js';
import { SCHEMA_VERSION } from '../store/migrations.js';
import { openReadOnly } from './backup-file.js';
import { integrityProblems } from './integrity-check.js';

export interface BackupInfo {
  /** PRAGMA user_version: the migrations it has been through. Older ones are upgraded when a hub opens them. */
  schemaVersion: number;
  messages: number;
  tasks: number;
  /** The highest message seq in it (0 when it has no messages). */
  lastSeq: number;
  bytes: number;
}

/** Tables the first migration created: every Switchboard database has them, whatever its version. */
const SWITCHBOARD_TABLES = ['conversations', 'messages', 'agents', 'tokens', 'events'];
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

const invalid = (message: string): SwitchboardError => new SwitchboardError('SB_ERR_BACKUP_INVALID', message);

/** What a Switchboard database holds; `db` must have passed the checks below. */
export function readBackupInfo(db: Db, bytes: number): BackupInfo {
  const hasTasks = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'tasks'").get() !== undefined;
  const messages = db.prepare<[], { count: number; last: number }>('SELECT count(*) AS count, coalesce(max(seq), 0) AS last FROM messages').get();
  return {
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    messages: messages?.count ?? 0,
    tasks: hasTasks ? (db.prepare('SELECT count(*) FROM tasks').pluck().get() as number) : 0,
    lastSeq: messages?.last ?? 0,
    bytes,
  };
}

/** The file's first 16 bytes are SQLite's signature. */
function startsLikeSqlite(file: string): boolean {
  const head = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(file, 'r');
  try {
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(SQLITE_HEADER);
  } finally {
    closeSync(fd);
  }
}

function refuseUnlessOurs(db: Db, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  const tables = new Set(db.prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all());
  const missing = SWITCHBOARD_TABLES.filter((table) => !tables.has(table));
  if (version < 1 || missing.length > 0) {
    throw invalid(`${file} is an SQLite database, but not a Switchboard one (it has no ${missing[0] ?? 'schema version'}).`);
  }
  if (version > SCHEMA_VERSION) {
    throw new SwitchboardError(
      'SB_ERR_BACKUP_NEWER',
      `${file} was made by a newer Switchboard (schema version ${version}; this one knows up to ${SCHEMA_VERSION}). Update Switchboard to restore it.`,
    );
  }
}

async function refuseUnlessIntact(file: string): Promise<void> {
  const problems = await integrityProblems(file);
  if (problems.length !== 1 || problems[0] !== 'ok') throw invalid(`${file} is damaged (SQLite's integrity check: ${problems.join('; ')}).`);
}

/** Checks a backup before it is restored: refuses anything a hub could not open or would lose data from. */
export async function checkBackupFile(file: string): Promise<BackupInfo> {
  let stats;
  try {
    stats = statSync(file);
  } catch {
    throw invalid(`There is no file at ${file}.`);
  }
  if (!stats.isFile()) throw invalid(`${file} is not a file.`);
  if (stats.size === 0) throw invalid(`${file} is empty.`);
  if (!startsLikeSqlite(file)) throw invalid(`${file} is not an SQLite database, so not a Switchboard backup.`);
  let db: Db | undefined;
  try {
    db = openReadOnly(file);
    refuseUnlessOurs(db, file);
    await refuseUnlessIntact(file);
    return readBackupInfo(db, stats.size);
  } catch (error) {
    if (error instanceof SwitchboardError) throw error;
    throw invalid(`${file} is damaged or cut short: SQLite cannot read it (${error instanceof Error ? error.message : String(error)}).`);
  } finally {
    db?.close();
  }
}
