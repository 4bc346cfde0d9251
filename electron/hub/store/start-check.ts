/**
 * The database check at start, before anything is written: SQLite's quick_check in a worker thread (the
 * event loop stays free) on a read-only connection. A sound file then opens for writing as usual; a
 * damaged one opens read-only and is left exactly as it is, or, if SQLite cannot read it at all, the hub
 * refuses to start with one sentence saying so and how to restore.
 */
import { existsSync } from 'node:fs';
import { integrityProblems } from '../backup/integrity-check.js';
import { isDamage } from '../health/database-health.js';
import { HubStartError } from '../../common/start-error.js';
import { readConnectionFile } from '../../common/connection-file.js';
import { openDatabase, openReadOnlyDatabase, type Db } from './database.js';
import { SCHEMA_VERSION } from './migrations.js';
import { createTokenStore } from './token-store.js';

export interface CheckedDatabase {
  db: Db;
  /** Why the file failed the check; undefined for a sound (or new) database, which `db` may write. */
  damage: string | undefined;
}

/** Longest part of SQLite's findings repeated to people. */
const MAX_FINDINGS = 300;

/** What quick_check found wrong with `file`, or undefined when it is sound or does not exist yet. */
export async function findDamage(file: string): Promise<string | undefined> {
  if (!existsSync(file)) return undefined;
  try {
    const problems = await integrityProblems(file, 'quick');
    if (problems.length === 1 && problems[0] === 'ok') return undefined;
    return `the database failed SQLite's quick check at start (${problems.join('; ').replace(/\s+/g, ' ').slice(0, MAX_FINDINGS)})`;
  } catch (error) {
    // Only SQLite's word that the file is damaged counts: a file the hub may not open or a folder in its
    // place is no damage, and opening it as usual reports that in its own words.
    if (!isDamage(error)) return undefined;
    return `SQLite cannot check the database (${error instanceof Error ? error.message : String(error)})`;
  }
}

/** Why a hub cannot run on its damaged database, as the sentence it stops with says it. */
const PROBLEMS = {
  unreadable: 'and cannot be read even read-only',
  token: 'and a read-only hub cannot store the new admin token it needs',
  older: 'and was written by an older Switchboard: this version reads it only once its tables are upgraded, and a damaged file is never written to',
};

/**
 * The sentence a hub stops with when it cannot run on its damaged database: SQLite cannot read it even
 * read-only, (`token`) it holds no working admin token and a read-only hub cannot store a new one, or
 * (`older`) its schema is older than this version's queries.
 */
export function refusal(file: string, damage: string, advice: string, why: keyof typeof PROBLEMS = 'unreadable'): HubStartError {
  return new HubStartError(`Switchboard cannot start: ${file} is damaged ${PROBLEMS[why]} (${damage}). ${advice}`);
}

/** The admin token in connection.json, when the damaged database still holds it: a read-only hub cannot mint one. */
export function keptAdminToken(db: Db, dataDir: string, now: number, refuse: () => HubStartError): string {
  const existing = readConnectionFile(dataDir);
  if (existing !== undefined && createTokenStore(db).verify(existing.token, now)?.admin === true) return existing.token;
  throw refuse();
}

/** Checks `file`, then opens it for writing when sound and read-only when damaged; `advice` says how to restore. */
export async function openCheckedDatabase(file: string, advice: () => string): Promise<CheckedDatabase> {
  const damage = await findDamage(file);
  if (damage === undefined) return { db: openDatabase(file), damage };
  let db: Db;
  let version: number;
  try {
    db = openReadOnlyDatabase(file);
    version = db.pragma('user_version', { simple: true }) as number;
  } catch (error) {
    throw refusal(file, `${damage}; ${error instanceof Error ? error.message : String(error)}`, advice());
  }
  // A backup from that older version is upgraded as usual when the hub starts on it after a restore.
  if (version < SCHEMA_VERSION) {
    db.close();
    throw refusal(file, damage, advice(), 'older');
  }
  return { db, damage };
}
