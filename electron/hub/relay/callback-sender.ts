/** Delivers task callbacks from the durable `callbacks` table: bounded concurrency, backoff retries, resumes after a restart. */
import type { HubConfig } from '../config.js';
import type { Logger } from '../../common/logger.js';
import type { Clock } from '../../common/clock.js';
import type { Db } from '../store/database.js';
import type { EventStore } from '../store/event-store.js';
import { callbackStatus, createCallbackStore, type CallbackRow, type CallbackStatus } from '../store/callback-store.js';
import { hostOf, postCallback, type PostOutcome } from './callback-request.js';
import type { Signer } from './callback-signing.js';
import type { CallbackPolicy, Resolve } from './ssrf-guard.js';

export interface CallbackSender {
  /** Queues a callback; call it inside the transaction that makes the task terminal, so the two commit together. */
  enqueue(taskId: string, url: string, body: object, now: number): void;
  /** Sends what is due now; call after a commit that may have queued callbacks. Also runs from its own timer. */
  wake(): void;
  /** How the task's latest callback is doing, or null when it has none (yet). */
  status(taskId: string): CallbackStatus | null;
  /** Stops timers and waits for requests in flight (abort them after a short grace). */
  close(): Promise<void>;
}

export interface CallbackSenderDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  events: EventStore;
  config: Pick<HubConfig, 'callbackRetries' | 'callbackBaseDelayMs' | 'callbackTimeoutMs'>;
  /** What the SSRF guard allows. */
  policy: CallbackPolicy;
  /** Signs each request's body. */
  sign: Signer;
  /** The guard's resolver (default dns.lookup). */
  resolve?: Resolve;
  /** Requests in flight at once (default 16). */
  maxInFlight?: number;
  /** Time close() lets requests in flight finish before aborting them, in ms (default 2000). */
  closeGraceMs?: number;
}

const DEFAULT_MAX_IN_FLIGHT = 16;
const DEFAULT_CLOSE_GRACE_MS = 2_000;
/** Longest delay setTimeout honours; a longer backoff just wakes once more on the way. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Wait before reading the queue again after the database refused a read. */
const READ_RETRY_MS = 1_000;

/**
 * Creates the sender and resumes whatever is still pending in the table (left by a stop or a crash):
 * what is due goes out at once, the rest when its `next_at` comes. Delivery is at least once: a request
 * cut off by a crash or by close() is sent again, and receivers can tell repeats by `X-Switchboard-Task`.
 * @param deps.config.callbackRetries retries after the first attempt (default setting 3).
 * @param deps.config.callbackBaseDelayMs delay before retry n is base × 2^(n-1), in ms (default setting 1000).
 * @param deps.config.callbackTimeoutMs time one attempt may take, in ms (default setting 10000).
 * @param [deps.maxInFlight=16] requests in flight at once.
 * @param [deps.closeGraceMs=2000] time close() waits for requests in flight before aborting them, in ms.
 */
export function createCallbackSender(deps: CallbackSenderDeps): CallbackSender {
  const { db, clock, logger, events, config, policy, sign } = deps;
  const maxInFlight = deps.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  const closeGraceMs = deps.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
  const store = createCallbackStore(db);
  const shutdown = new AbortController();
  const inFlight = new Map<number, Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  let closing: Promise<void> | undefined;

  const record = db.transaction((row: CallbackRow, outcome: Exclude<PostOutcome, { kind: 'aborted' }>, now: number): void => {
    const attempts = row.attempts + 1;
    const base = { callback: row.id, host: hostOf(row.url), attempts };
    const fields = { task: row.task_id, host: base.host, attempts };
    if (outcome.kind === 'delivered') {
      store.finish(row.id, 'delivered', attempts, null, now);
      events.record('callback_delivered', now, { subject: row.task_id, detail: { ...base, status: outcome.status } });
      logger.debug('a task callback was delivered', { ...fields, status: outcome.status });
    } else if (outcome.kind === 'refused') {
      store.finish(row.id, 'refused', attempts, outcome.error, now);
      events.record('callback_refused', now, { subject: row.task_id, detail: { ...base, error: outcome.error } });
      logger.warn('a task callback was refused by the SSRF guard', { ...fields, error: outcome.error });
    } else if (attempts <= config.callbackRetries) {
      const delay = config.callbackBaseDelayMs * 2 ** (attempts - 1);
      store.retry(row.id, attempts, now + delay, outcome.error);
      // Each failed attempt is on the record, so a task's lineage shows every answer its callback got.
      events.record('callback_retrying', now, { subject: row.task_id, detail: { ...base, error: outcome.error, retry_in_ms: delay } });
      logger.info('a task callback attempt failed; it will be retried', { ...fields, error: outcome.error, retryInMs: delay });
    } else {
      store.finish(row.id, 'failed', attempts, outcome.error, now);
      events.record('callback_failed', now, { subject: row.task_id, detail: { ...base, error: outcome.error } });
      logger.warn('a task callback failed after every retry', { ...fields, error: outcome.error });
    }
  });

  const start = (row: CallbackRow): void => {
    const attempt = postCallback(row.url, row.body, row.task_id, {
      policy,
      sign,
      ...(deps.resolve === undefined ? {} : { resolve: deps.resolve }),
      timeoutMs: config.callbackTimeoutMs,
      signal: shutdown.signal,
    })
      .then((outcome) => {
        // Aborted by close(): the row stays pending, untouched, and goes out again after the restart.
        if (outcome.kind !== 'aborted') record(row, outcome, clock.now());
      })
      .catch((error: unknown) => logger.error('a task callback outcome could not be stored', { task: row.task_id, error: String(error) }))
      .finally(() => {
        inFlight.delete(row.id);
        if (closing === undefined) wake();
      });
    inFlight.set(row.id, attempt);
  };

  const schedule = (delayMs: number): void => {
    timer = setTimeout(pump, Math.min(Math.max(0, delayMs), MAX_TIMER_MS));
    timer.unref();
  };

  function pump(): void {
    immediate = undefined;
    clearTimeout(timer);
    timer = undefined;
    if (closing !== undefined) return;
    try {
      const free = maxInFlight - inFlight.size;
      if (free > 0) for (const row of store.due(clock.now(), [...inFlight.keys()], free)) start(row);
      // When every slot is taken, the next request to finish pumps again; no timer is needed.
      if (inFlight.size >= maxInFlight) return;
      const next = store.nextDue([...inFlight.keys()]);
      if (next !== undefined) schedule(next - clock.now());
    } catch (error) {
      logger.error('the callback queue could not be read; trying again shortly', { error: String(error) });
      schedule(READ_RETRY_MS);
    }
  }

  function wake(): void {
    // Deferred: by then the caller's transaction has committed (better-sqlite3 runs it synchronously),
    // and a burst of wakes reads the queue once.
    if (closing !== undefined || immediate !== undefined) return;
    immediate = setImmediate(pump);
  }

  const close = async (): Promise<void> => {
    clearImmediate(immediate);
    clearTimeout(timer);
    const settled = Promise.allSettled(inFlight.values());
    let graceTimer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, closeGraceMs)));
    await Promise.race([settled, grace]);
    clearTimeout(graceTimer);
    shutdown.abort();
    await settled;
  };

  wake();

  return {
    enqueue(taskId, url, body, now) {
      store.insert(taskId, url, JSON.stringify(body), now);
      // A wake of its own in case the caller forgets: it runs after the transaction ends either way.
      wake();
    },
    wake,
    status(taskId) {
      const latest = store.forTask(taskId).at(-1);
      return latest === undefined ? null : callbackStatus(latest);
    },
    close() {
      closing ??= close();
      return closing;
    },
  };
}
