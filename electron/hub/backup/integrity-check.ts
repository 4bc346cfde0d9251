/**
 * SQLite's integrity check in a worker thread: it reads every page, which takes seconds on a large
 * database, and the desktop app's main process (tray, window) must not stop for that long. The worker
 * opens the file read-only, so checking never writes to it.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Plain CommonJS evaluated from this string, as the checkpointer's worker: it runs the same from sources,
// from the build output and inside a packaged app, with no separate file to locate.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  parentPort.postMessage({ problems: db.prepare(workerData.pragma).pluck().all() });
} catch (error) {
  parentPort.postMessage({ error: error instanceof Error ? error.message : String(error), code: error && error.code });
} finally {
  if (db !== undefined) db.close();
}
`;

/** A check SQLite could not run; `code` is SQLite's (SQLITE_NOTADB, SQLITE_CANTOPEN, …) when it gave one. */
export class IntegrityCheckError extends Error {
  readonly code: string | undefined;

  constructor(message: string, code: string | undefined) {
    super(message);
    this.name = 'IntegrityCheckError';
    this.code = code;
  }
}

/**
 * The integrity check's findings: `['ok']` for a sound file. Rejects (IntegrityCheckError) when SQLite cannot read the file at all.
 * `quick` runs `quick_check`: every page and record, but not whether the indexes match their tables.
 */
export function integrityProblems(file: string, kind: 'full' | 'quick' = 'full'): Promise<string[]> {
  const pragma = kind === 'quick' ? 'PRAGMA quick_check(3)' : 'PRAGMA integrity_check(3)';
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, pragma } });
    worker.once('message', (message: { problems?: string[]; error?: string; code?: string }) => {
      if (message.problems !== undefined) resolve(message.problems);
      else reject(new IntegrityCheckError(message.error ?? 'the integrity check failed', message.code));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the integrity check stopped (exit code ${code})`)));
  });
}
