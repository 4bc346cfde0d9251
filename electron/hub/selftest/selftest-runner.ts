/**
 * The self-test as the running hub offers it (the dashboard's and the tray's button): one run at a time in
 * the background, its progress while it runs, and the last result kept in the `settings` table (so it
 * outlives a restart) and in the audit trail as `selftest_finished`. A run that cannot finish (the scratch
 * hub will not start, it takes too long, the hub stops) is a failed result with the reason, never a hang.
 */
import type { SelftestResult, SelftestState } from '../../../shared/index.js';
import { SwitchboardError } from '../../../shared/index.js';
import type { Clock } from '../../common/clock.js';
import type { Logger } from '../../common/logger.js';
import type { EventStore } from '../store/event-store.js';
import type { SettingsStore } from '../store/settings-store.js';
import { runSelftest, selftestPassed, type SelftestFigures, type SwitchboardCommand } from './durability-run.js';

const SETTINGS_KEY = 'selftest';

/** Time a run may take: generous for a slow disk, and still an end for a scratch hub that hangs. */
export const defaultSelftestTimeout = (messages: number): number => 60_000 + messages * 20;

export interface SelftestRunnerOptions {
  settings: SettingsStore;
  events: EventStore;
  clock: Clock;
  logger: Logger;
  command: SwitchboardCommand;
  timeoutMs?: (messages: number) => number;
}

export type SelftestRunner = ReturnType<typeof createSelftestRunner>;

interface Run {
  startedAt: number;
  messages: number;
  acked: number;
  kills: number;
  abort: AbortController;
  done: Promise<void>;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The stored last result, or null when there is none or it is not one (written by an older Switchboard). */
function storedResult(value: unknown): SelftestResult | null {
  return value !== null && typeof value === 'object' && 'finished_at' in value && 'ok' in value ? (value as SelftestResult) : null;
}

export function createSelftestRunner(options: SelftestRunnerOptions) {
  const { settings, events, clock, logger } = options;
  const timeoutMs = options.timeoutMs ?? defaultSelftestTimeout;
  let last = storedResult(settings.read(SETTINGS_KEY));
  let current: Run | undefined;
  const listeners = new Set<(result: SelftestResult) => void>();
  const startListeners = new Set<() => void>();

  const finish = (run: Run, actor: string | null, figures: SelftestFigures, error: string | null): void => {
    const result: SelftestResult = {
      messages: run.messages,
      ...figures,
      started_at: iso(run.startedAt),
      finished_at: iso(clock.now()),
      ok: error === null && selftestPassed(figures),
      error,
    };
    last = result;
    try {
      settings.write(SETTINGS_KEY, result, clock.now());
      events.record('selftest_finished', clock.now(), { actor, detail: result });
    } catch (storeError) {
      // A damaged or full disk: the result still shows until the hub stops.
      logger.warn('the self-test result was not stored', { error: String(storeError) });
    }
    logger.info('self-test finished', { ...result });
    for (const listener of listeners) {
      try {
        listener(result);
      } catch (listenerError) {
        logger.error('a self-test listener failed', { error: String(listenerError) });
      }
    }
  };

  const execute = async (run: Run, actor: string | null): Promise<void> => {
    const limit = timeoutMs(run.messages);
    const timer = setTimeout(() => run.abort.abort(new Error(`the self-test did not finish within ${Math.round(limit / 1000)} s`)), limit);
    let figures: SelftestFigures;
    let error: string | null = null;
    try {
      figures = await runSelftest({
        messages: run.messages,
        command: options.command,
        signal: run.abort.signal,
        onAcked: (acked) => (run.acked = acked),
        onKilled: (_, kills) => (run.kills = kills),
      });
    } catch (failure) {
      error = (run.abort.signal.aborted ? (run.abort.signal.reason as Error) : (failure as Error)).message;
      const seconds = Math.round((clock.now() - run.startedAt) / 100) / 10;
      figures = { acked: run.acked, found: 0, lost: 0, duplicates: 0, gaps: 0, kills: run.kills, integrity: 'not checked', seconds };
    } finally {
      clearTimeout(timer);
    }
    current = undefined;
    finish(run, actor, figures, error);
  };

  const state = (): SelftestState => ({
    status: 'ok',
    running: current !== undefined,
    started_at: current === undefined ? null : iso(current.startedAt),
    progress: current === undefined ? null : { messages: current.messages, acked: current.acked, kills: current.kills },
    last,
  });

  return {
    state,
    /** Starts a run in the background; refused while one runs. `actor`: who asked (null: the desktop app's tray). */
    start(messages: number, actor: string | null): SelftestState {
      if (current !== undefined) {
        throw new SwitchboardError('SB_ERR_SELFTEST_RUNNING', `a self-test is already running (started ${iso(current.startedAt)}); wait for its result`);
      }
      const run: Run = { startedAt: clock.now(), messages, acked: 0, kills: 0, abort: new AbortController(), done: Promise.resolve() };
      current = run;
      run.done = execute(run, actor);
      for (const listener of startListeners) listener();
      return state();
    },
    /** Called when a run starts, whoever asked for it (the tray shows it as running). */
    onStarted(listener: () => void): () => void {
      startListeners.add(listener);
      return () => startListeners.delete(listener);
    },
    /** Called with each finished run's result. */
    onFinished(listener: (result: SelftestResult) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Ends a run still going (the hub stops): its scratch hub is killed and the run recorded as cut short. */
    async close(): Promise<void> {
      const run = current;
      if (run === undefined) return;
      run.abort.abort(new Error('the hub stopped during the self-test'));
      await run.done;
    },
  };
}
