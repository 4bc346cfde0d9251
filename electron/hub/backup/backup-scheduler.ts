/**
 * Scheduled backups: one every hour, day or week into a folder, named switchboard-YYYYMMDD-HHMMSS.db (UTC).
 * After each, the scheduled backups older than `keepDays` are deleted: only files with exactly that kind
 * of name, so nothing else in the folder is ever touched. Plain Node: the desktop app hosts it.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupInterval } from '../../../shared/index.js';
import { scheduledBackupName, scheduledBackupTime } from './backup-file.js';

/** How often: the `backupEvery` setting. */
export type BackupEvery = BackupInterval;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const INTERVAL_MS = { hourly: HOUR_MS, daily: DAY_MS, weekly: 7 * DAY_MS } as const;
/** How soon an overdue backup is made after start (the app was closed through a slot), rather than a whole interval later. */
export const CATCH_UP_DELAY_MS = 60_000;
/** Timers do not count time the computer sleeps, so long waits are cut into pieces and the clock read again after each. */
const LONGEST_TIMER_MS = 10 * 60_000;

export interface SchedulerClock {
  now(): number;
  /** Calls `run` after `ms`; returns a function that cancels it. */
  setTimer(run: () => void, ms: number): () => void;
}

export const systemClock: SchedulerClock = {
  now: () => Date.now(),
  setTimer(run, ms) {
    const timer = setTimeout(run, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

export interface BackupSchedulerOptions {
  folder: string;
  every: BackupEvery;
  /** Scheduled backups older than this many days are deleted after each new one (default 30). */
  keepDays?: number;
  /** Writes a backup to the file it is given, such as the running hub's `backup`. */
  backup: (file: string) => Promise<unknown>;
  clock?: SchedulerClock;
  /** A scheduled backup was written to `file`. */
  onBackup?: (file: string) => void;
  /** A backup to `file` failed (the next slot tries again), or old backups could not be deleted after it. */
  onError?: (error: unknown, file: string) => void;
}

export interface BackupScheduler {
  /**
   * Starts the schedule (nothing when `every` is 'off'). The first backup is due one interval after the
   * newest scheduled one in the folder; when that time has passed, or there is none, a minute from now.
   */
  start(): void;
  /** Makes a scheduled backup now, named and pruned like the others; resolves with its file. The next slot is one interval later. */
  runNow(): Promise<string>;
  /** When the next backup is due, in ms since the epoch; undefined while stopped or 'off'. */
  readonly nextAt: number | undefined;
  /** Cancels the schedule and waits for a backup under way. */
  stop(): Promise<void>;
}

export function createBackupScheduler(options: BackupSchedulerOptions): BackupScheduler {
  const { folder, every, backup, clock = systemClock } = options;
  const keepDays = options.keepDays ?? 30;
  if (!(keepDays > 0)) throw new RangeError(`keepDays must be more than 0 (got ${keepDays})`);
  const interval = every === 'off' ? undefined : INTERVAL_MS[every];
  let started = false;
  let dueAt: number | undefined;
  let cancelTimer: (() => void) | undefined;
  let running: Promise<string> | undefined;

  /** Scheduled backups in the folder; none when it cannot be read (it may not exist yet). */
  const scheduledFiles = (): { name: string; time: number }[] => {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      return [];
    }
    return names.flatMap((name) => {
      const time = scheduledBackupTime(name);
      return time === undefined ? [] : [{ name, time }];
    });
  };

  const prune = (now: number): void => {
    const cutoff = now - keepDays * DAY_MS;
    for (const { name, time } of scheduledFiles()) {
      if (time < cutoff) rmSync(join(folder, name), { force: true });
    }
  };

  const arm = (): void => {
    cancelTimer?.();
    cancelTimer = undefined;
    if (!started || dueAt === undefined || running !== undefined) return;
    const wait = Math.min(Math.max(0, dueAt - clock.now()), LONGEST_TIMER_MS);
    cancelTimer = clock.setTimer(() => {
      cancelTimer = undefined;
      if (dueAt !== undefined && clock.now() >= dueAt) run().catch(() => undefined);
      else arm();
    }, wait);
  };

  const attempt = async (): Promise<string> => {
    const startedAt = clock.now();
    const file = join(folder, scheduledBackupName(startedAt));
    if (started && interval !== undefined) dueAt = startedAt + interval;
    try {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      await backup(file);
    } catch (error) {
      options.onError?.(error, file);
      throw error;
    }
    options.onBackup?.(file);
    try {
      prune(startedAt);
    } catch (error) {
      options.onError?.(error, file);
    }
    return file;
  };

  // One backup at a time: a slot that comes while one is under way waits for it.
  const run = (): Promise<string> => {
    running ??= attempt().finally(() => {
      running = undefined;
      arm();
    });
    return running;
  };

  return {
    start() {
      if (started || interval === undefined) return;
      started = true;
      const now = clock.now();
      const newest = Math.max(-Infinity, ...scheduledFiles().map((f) => f.time));
      const next = newest + interval;
      // A newest file dated in the future (the clock was wrong) must not hold backups off for longer than an interval.
      dueAt = next <= now ? now + CATCH_UP_DELAY_MS : Math.min(next, now + interval);
      arm();
    },
    runNow: run,
    get nextAt() {
      return started ? dueAt : undefined;
    },
    async stop() {
      started = false;
      dueAt = undefined;
      arm();
      await running?.catch(() => undefined);
    },
  };
}
