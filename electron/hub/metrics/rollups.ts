/**
 * Interaction rollups per agent and minute, built as interactions are committed. Each minute still open
 * (or touched lately) is held in memory with all its response times, so its p50/p95 are exact, and is
 * written whenever it changed, every few seconds, before a query, and on stop. A minute not in memory
 * (a late interaction, or the hub restarted) is first reloaded from the raw rows of that minute, so a
 * late interaction rewrites its minute exactly. After a crash, the minutes of interactions past the
 * progress mark are rebuilt from the raw rows at start. See docs/decisions.md.
 */
import type { CommitQueue } from '../store/commit-queue.js';
import type { HubConfig } from '../config.js';
import type { Logger } from '../../common/logger.js';
import { firstKeptMinute } from '../store/retention.js';
import type { Clock } from '../../common/clock.js';
import type { Interaction } from '../store/interaction-store.js';
import type { RollupStore } from '../store/rollup-store.js';
import type { Ingest } from './ingest.js';
import { MINUTE_MS, MinuteAccumulator, minuteOf } from './minute-summary.js';

/** Changed minutes are written at least this often. */
const FLUSH_EVERY_MS = 5_000;
/** A minute stays in memory this long after it ended, so interactions that arrive a little late need no reload. */
const KEEP_AFTER_END_MS = 2 * MINUTE_MS;

interface OpenMinute {
  agent: string;
  minute: number;
  acc: MinuteAccumulator;
  /** Interactions added; `written` is the value it had when the row was last written. */
  version: number;
  written: number;
}

export type Rollups = ReturnType<typeof createRollups>;

export function createRollups(deps: {
  store: RollupStore;
  commits: CommitQueue;
  ingest: Ingest;
  config: Pick<HubConfig, 'retentionDays'>;
  clock: Clock;
  logger: Logger;
}) {
  const { store } = deps;
  const open = new Map<string, OpenMinute>();
  /** The highest interaction id handed to the rollups, and the one the stored progress mark holds. */
  let seen = 0;
  let marked = 0;
  let pending: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const firstKept = (): number => firstKeptMinute(deps.clock.now(), deps.config.retentionDays);

  /** The minute's row from all its stored interactions (used after a crash, for the minutes not written). */
  const rebuild = (agent: string, minute: number): void => {
    const acc = new MinuteAccumulator();
    for (const sample of store.samples(agent, minute)) acc.add(sample);
    if (acc.count > 0) store.write(agent, minute, acc.summary());
  };

  const add = (interaction: Interaction): void => {
    if (interaction.id > seen) seen = interaction.id;
    const minute = minuteOf(interaction.ts);
    // Past raw retention the minute's other raw rows may be gone, so it could not be rebuilt exactly: left as it is.
    if (minute < firstKept()) return;
    const key = `${interaction.agent}\u0000${minute}`;
    let entry = open.get(key);
    if (entry === undefined) {
      entry = { agent: interaction.agent, minute, acc: new MinuteAccumulator(), version: 0, written: 0 };
      // Committed earlier (an earlier run, or before the minute left memory): ids only grow, so these are all of them.
      for (const sample of store.samples(interaction.agent, minute, interaction.id)) entry.acc.add(sample);
      open.set(key, entry);
    }
    entry.acc.add(interaction);
    entry.version++;
  };

  /** Drops minutes that are written and over, or past retention. */
  const evict = (): void => {
    const now = deps.clock.now();
    const kept = firstKept();
    for (const [key, entry] of open) {
      const over = (entry.minute + 1) * MINUTE_MS + KEEP_AFTER_END_MS <= now;
      if ((over && entry.version === entry.written) || entry.minute < kept) open.delete(key);
    }
  };

  const flush = (): Promise<void> => {
    if (pending !== undefined) return pending;
    let dirty = marked !== seen;
    for (const entry of open.values()) dirty ||= entry.version !== entry.written;
    if (!dirty) {
      evict();
      return Promise.resolve();
    }
    pending = new Promise<void>((resolve, reject) => {
      deps.commits.enqueue<{ entries: [OpenMinute, number][]; mark: number }>({
        // Every interaction handed over so far is in a minute written here (or was too old): the mark can move to it.
        apply: () => {
          const entries: [OpenMinute, number][] = [];
          for (const entry of open.values()) {
            if (entry.version === entry.written) continue;
            store.write(entry.agent, entry.minute, entry.acc.summary());
            entries.push([entry, entry.version]);
          }
          store.setProgress(seen);
          return { entries, mark: seen };
        },
        committed: ({ entries, mark }) => {
          pending = undefined;
          for (const [entry, version] of entries) entry.written = version;
          marked = mark;
          evict();
          resolve();
        },
        failed: (error) => {
          pending = undefined;
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      });
    });
    return pending;
  };

  const flushLogged = (): void => {
    flush().catch((error: unknown) => deps.logger.error('could not write interaction rollups', { error: String(error) }));
  };

  /** Rebuilds the minutes of interactions stored after the progress mark: those a crash kept from being written. */
  const recover = (): Promise<void> =>
    new Promise((resolve, reject) => {
      deps.commits.enqueue<number>({
        apply: () => {
          const last = store.lastInteraction();
          const from = store.progress();
          if (last <= from) return last;
          const touched = store.touchedSince(from, firstKept());
          for (const { agent, minute } of touched) rebuild(agent, minute);
          store.setProgress(last);
          if (touched.length > 0) deps.logger.info('rebuilt interaction rollups', { minutes: touched.length, after_interaction: from });
          return last;
        },
        committed: (last) => {
          if (last > seen) seen = last;
          marked = last;
          resolve();
        },
        failed: reject,
      });
    });

  const unsubscribe = deps.ingest.onInteraction(add);

  return {
    /** The rows, for queries (call `flush` first to include the latest interactions). */
    store,
    /** Rebuilds what a crash left unwritten, then writes changed minutes every few seconds. */
    start(): Promise<void> {
      timer = setInterval(flushLogged, FLUSH_EVERY_MS);
      timer.unref();
      return recover();
    },
    /** Writes every changed minute; resolves once committed (queries call it so they see the current minute). */
    flush,
    /** Minutes held in memory. */
    get openMinutes(): number {
      return open.size;
    },
    /** Stops listening and the timer; the returned write of the last changes commits with the next batch. */
    close(): Promise<void> {
      clearInterval(timer);
      unsubscribe();
      return flush().catch((error: unknown) => deps.logger.error('could not write interaction rollups on stop', { error: String(error) }));
    },
  };
}
