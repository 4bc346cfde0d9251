/** Helpers for backup tests: reading a database file back, fingerprints of a folder, and a clock the test moves. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import type { SchedulerClock } from '../../electron/hub/backup/index.js';
import { MIGRATIONS } from '../../electron/hub/store/migrations.js';
import type { Acked } from './senders.js';

/** Every message in a database file, oldest first, in the shape a sender records acks in. */
export function messageRows(file: string): Acked[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare<[], Acked & { client_msg_id: string | null }>('SELECT seq, conversation_id, sender, content, client_msg_id FROM messages ORDER BY seq')
      .all();
    return rows.map((row) => ({ ...row, client_msg_id: row.client_msg_id ?? undefined }));
  } finally {
    db.close();
  }
}

/** PRAGMA integrity_check and user_version of a database file. */
export function inspect(file: string): { integrity: unknown; version: unknown } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return { integrity: db.pragma('integrity_check', { simple: true }), version: db.pragma('user_version', { simple: true }) };
  } finally {
    db.close();
  }
}

/** Every file below `dir` with a hash of its bytes: equal snapshots mean nothing was added, removed or changed. */
export function folderSnapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/**
 * A database as an older Switchboard left it: the first `version` migrations, and `contents` as messages
 * of conversation "old-times" (columns every version has).
 */
export function olderDatabase(file: string, version: number, contents: string[]): void {
  const db = new Database(file);
  try {
    for (const migration of MIGRATIONS.slice(0, version)) db.exec(migration);
    db.pragma(`user_version = ${version}`);
    db.prepare("INSERT INTO conversations (id, created_by, created_at) VALUES ('old-times', 'user', 0)").run();
    const insert = db.prepare(
      "INSERT INTO messages (conversation_id, sender, message_type, content, created_at) VALUES ('old-times', 'user', 'message', ?, 0)",
    );
    for (const content of contents) insert.run(content);
  } finally {
    db.close();
  }
}

export interface ManualClock extends SchedulerClock {
  /** Moves time to `target`, running each timer as its time comes, in order. */
  advanceTo(target: number): void;
  /** Timers waiting. */
  readonly pending: number;
}

export function manualClock(start: number): ManualClock {
  let now = start;
  const timers = new Set<{ at: number; run: () => void }>();
  return {
    now: () => now,
    setTimer(run, ms) {
      const timer = { at: now + ms, run };
      timers.add(timer);
      return () => timers.delete(timer);
    },
    advanceTo(target) {
      for (;;) {
        const next = [...timers].sort((a, b) => a.at - b.at)[0];
        if (next === undefined || next.at > target) break;
        timers.delete(next);
        now = Math.max(now, next.at);
        next.run();
      }
      now = Math.max(now, target);
    },
    get pending() {
      return timers.size;
    },
  };
}
