/**
 * The hub's log file: JSON lines written asynchronously (sonic-boom, pino's destination: the writes run on
 * libuv's thread pool, never blocking the event loop) and rotated by size — hub.log, then hub.1.log …
 * hub.N.log, oldest dropped. One destination per file in a process, shared by every logger writing it.
 */
import { mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import sonicBoom from 'sonic-boom';

// sonic-boom is CommonJS: its class is the module itself, also exported under its name.
const { SonicBoom } = sonicBoom;
type SonicBoom = InstanceType<typeof SonicBoom>;

export const LOG_FILE_MAX_BYTES = 10 * 1024 * 1024;
export const LOG_FILES_KEPT = 5;
/** The longest a flush waits for a disk that does not answer: stopping the hub never hangs on its log. */
const FLUSH_LIMIT_MS = 2000;

export interface LogFile {
  /** Takes one JSON line; what pino writes to. */
  write(line: string): void;
  /** Resolves once every line written so far is in the file. */
  flush(): Promise<void>;
  /** Writes what is queued now, blocking: only for the moment the process exits. */
  flushSync(): void;
}

const open = new Map<string, LogFile>();

/** hub.log → hub.1.log, hub.1.log → hub.2.log, …; the oldest is removed. */
export function rotatedName(file: string, n: number): string {
  return file.replace(/(\.log)?$/, `.${n}$1`);
}

function rotate(file: string, keep: number): void {
  rmSync(rotatedName(file, keep), { force: true });
  for (let n = keep - 1; n >= 1; n--) {
    try {
      renameSync(rotatedName(file, n), rotatedName(file, n + 1));
    } catch {
      // Not there yet.
    }
  }
  renameSync(file, rotatedName(file, 1));
}

/**
 * An asynchronous writer on a file opened here, synchronously: it is ready at once, so a line logged just
 * before the process exits is still written by the flush on exit.
 */
function writerFor(file: string): SonicBoom {
  const fd = openSync(file, 'a', 0o600);
  const stream = new SonicBoom({ fd, sync: false });
  // A log that cannot be written (a full disk, a folder made read-only) loses its lines and nothing else.
  stream.on('error', () => undefined);
  return stream;
}

/**
 * Resolves once nothing is being written or waits to be. sonic-boom's own flush(cb) returns at once when
 * it writes every line as it comes (minLength 0), so its state is read instead.
 */
function idle(stream: SonicBoom): Promise<void> {
  const state = stream as unknown as { _writing: boolean; _len: number };
  return new Promise((resolve) => {
    const check = (): void => {
      if (state._writing || state._len > 0) return;
      done();
    };
    const done = (): void => {
      clearTimeout(timer);
      stream.off('drain', check).off('error', done);
      resolve();
    };
    const timer = setTimeout(done, FLUSH_LIMIT_MS);
    // sonic-boom says `drain` once all it was given is written.
    stream.on('drain', check).on('error', done);
    check();
  });
}

/** The destination for `file`, or undefined when it cannot be opened (the lines are then lost, see createLogger). */
export function logFile(file: string, maxBytes = LOG_FILE_MAX_BYTES, keep = LOG_FILES_KEPT): LogFile | undefined {
  const existing = open.get(file);
  if (existing !== undefined) return existing;
  let size: number;
  let current: SonicBoom;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    size = statSync(file, { throwIfNoEntry: false })?.size ?? 0;
    current = writerFor(file);
  } catch {
    return undefined;
  }
  const roll = (): void => {
    try {
      rotate(file, keep);
      const next = writerFor(file);
      // The old writer finishes what it holds into the renamed file, then closes it.
      current.end();
      current = next;
    } catch {
      // Renaming an open file fails on Windows; the file grows until the next try.
    }
    size = 0;
  };
  const handle: LogFile = {
    write(line) {
      current.write(line);
      size += Buffer.byteLength(line);
      if (size >= maxBytes) roll();
    },
    flush: () => idle(current),
    flushSync: () => current.flushSync(),
  };
  if (open.size === 0) process.on('exit', flushAllOnExit);
  open.set(file, handle);
  return handle;
}

/** What is still queued when the process exits (`switchboard serve` failing to start) is written before it goes. */
function flushAllOnExit(): void {
  for (const handle of open.values()) {
    try {
      handle.flushSync();
    } catch {
      // Lost, like any line the log cannot write.
    }
  }
}
