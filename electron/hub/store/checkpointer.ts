/**
 * WAL checkpoints on a worker thread, off the event loop.
 *
 * SQLite checkpoints automatically inside the commit that takes the WAL past 1000 pages: it copies those
 * pages into the database file and syncs both files, which stalls the event loop, and so every client,
 * for several milliseconds (most of publish→deliver p99 at 1,000 msgs/s). Here the hub's own connection
 * does not checkpoint; a worker thread with a second connection does, shortly after writes. Durability is
 * unchanged: a commit is in the WAL before it is acknowledged, and the worker's checkpoint syncs as
 * synchronous=NORMAL asks. If the worker cannot run, the hub goes back to SQLite's automatic checkpoints.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../common/logger.js';
import type { Db } from './database.js';

/** Least time between two checkpoints; writes in between are checkpointed together. */
const INTERVAL_MS = 50;
/**
 * A passive checkpoint never blocks the hub, but under constant writes the WAL never gets wholly
 * copied, so SQLite never starts it over and it keeps growing. Past this many pages (32 MiB) the worker
 * waits for a gap between commits and restarts it: a short, rare pause for writers.
 */
const RESTART_ABOVE_PAGES = 8192;
/** SQLite's default, restored when the worker is gone. */
const AUTOCHECKPOINT_PAGES = 1000;

// The worker is plain CommonJS evaluated from this string, so it runs the same from sources, from the
// build output and inside a packaged app, with no separate file to locate.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
let last = 0;
let timer;
parentPort.on('message', (message) => {
  if (message === 'close') {
    clearTimeout(timer);
    db.close();
    parentPort.close();
    return;
  }
  timer = setTimeout(() => {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    if (result.log > workerData.restartAbove) db.pragma('wal_checkpoint(RESTART)');
    last = Date.now();
    parentPort.postMessage('done');
  }, Math.max(0, last + workerData.interval - Date.now()));
});
`;

/** How long a worker may take to close its connection and end before it is terminated. */
const CLOSE_TIMEOUT_MS = 5_000;

export interface Checkpointer {
  /** Call after a commit: a checkpoint follows soon (at most one every INTERVAL_MS). */
  written(): void;
  /** Stops the worker; call before the hub's own connection closes. */
  close(): Promise<void>;
}

export function createCheckpointer(db: Db, file: string, logger: Logger): Checkpointer {
  let worker: Worker | undefined;
  let state: 'idle' | 'running' | 'off' = 'idle';
  let requested = false;

  const fallBack = (reason: string): void => {
    if (state !== 'running') return;
    state = 'off';
    worker = undefined;
    if (!db.open) return;
    logger.warn('WAL checkpoints run on the event loop again', { reason });
    db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  };

  // Started on the first write, so a hub that never writes never pays for a thread.
  const start = (): void => {
    try {
      const driver = createRequire(import.meta.url).resolve('better-sqlite3');
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, interval: INTERVAL_MS, restartAbove: RESTART_ABOVE_PAGES } });
      worker.unref();
      worker.on('message', () => (requested = false));
      worker.on('error', (error) => fallBack(String(error)));
      worker.on('exit', (code) => fallBack(`the checkpoint worker exited (${code})`));
      db.pragma('wal_autocheckpoint = 0');
      state = 'running';
    } catch (error) {
      state = 'off';
      logger.warn('WAL checkpoints stay on the event loop', { reason: String(error) });
    }
  };

  return {
    written(): void {
      if (state === 'idle') start();
      if (requested || worker === undefined) return;
      requested = true;
      worker.postMessage('check');
    },
    async close(): Promise<void> {
      const running = worker;
      state = 'off';
      worker = undefined;
      if (running === undefined) return;
      // Held while it stops: an unref'd worker would let a process with nothing else to do exit mid-stop.
      running.ref();
      // Asked to end rather than terminated: terminating a worker that is still loading the native SQLite
      // module aborts the whole process. The request waits in its port until the worker listens.
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.postMessage('close');
      const timeout = setTimeout(() => void running.terminate(), CLOSE_TIMEOUT_MS);
      await exited;
      clearTimeout(timeout);
    },
  };
}
