/** Damaged databases for tests: garbage over pages of one table, as a failing disk leaves them, and fingerprints showing a file was not written. */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';

/** The table's leaf pages in key order (dbstat's path order): the first ones hold its lowest keys. */
function leafPages(file: string, table: string): { pages: number[]; pageSize: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const pages = db.prepare<[string], number>("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path").pluck().all(table);
    return { pages, pageSize: db.pragma('page_size', { simple: true }) as number };
  } finally {
    db.close();
  }
}

/**
 * Writes garbage over the leaf pages of `table` between its first `keep` and its last `keep` (its lowest
 * and highest keys stay readable), straight into the file, not through SQLite; returns how many pages it
 * damaged. The WAL must be empty (a stopped hub's is).
 */
export function damageLeafPages(file: string, table: string, keep: number): number {
  const { pages, pageSize } = leafPages(file, table);
  const damaged = pages.slice(keep, -keep);
  if (damaged.length === 0) throw new Error(`${table} has only ${pages.length} leaf pages; nothing to damage between the first and last ${keep}`);
  const garbage = Buffer.alloc(pageSize, 0x5a);
  const fd = openSync(file, 'r+');
  try {
    for (const page of damaged) writeSync(fd, garbage, 0, pageSize, (page - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
  return damaged.length;
}

/**
 * Damages the messages of a database a hub has open (one started on it after it was filled, so its WAL
 * holds none of them), then commits on another connection: the hub's connection drops its page cache
 * and reads the damaged pages at its next look at them.
 */
export function damageRunningDatabase(file: string): void {
  damageLeafPages(file, 'messages', 2);
  const other = new Database(file);
  try {
    other.exec('CREATE TABLE damage_probe (x)');
  } finally {
    other.close();
  }
}

/** Garbage over the file's first bytes, SQLite's header: nothing can read it as a database any more. */
export function damageHeader(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(100, 0x5a), 0, 100, 0);
  } finally {
    closeSync(fd);
  }
}

const hash = (file: string): string => (existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'none');

/** SHA-256 of the database and of its WAL (an absent or empty WAL is the same: nothing in it). */
export function fingerprint(file: string): { database: string; wal: string } {
  const wal = `${file}-wal`;
  return { database: hash(file), wal: existsSync(wal) && readFileSync(wal).length > 0 ? hash(wal) : 'empty' };
}
