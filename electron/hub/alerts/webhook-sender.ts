/** Delivers alert webhooks from the durable `webhook_deliveries` outbox: the task callbacks' signed POST and SSRF guard, retries with backoff. */
import type { HubConfig } from '../config.js';
import type { Logger } from '../../common/logger.js';
import { hostOf, postCallback, type PostOutcome } from '../relay/callback-request.js';
import type { Signer } from '../relay/callback-signing.js';
import type { CallbackPolicy } from '../relay/ssrf-guard.js';
import type { Clock } from '../../common/clock.js';
import type { Db } from '../store/database.js';
import type { EventStore } from '../store/event-store.js';

export interface WebhookSender {
  /** Queues the POST of `body` for alert `alertId`; it goes out at once, in the order queued. */
  enqueue(alertId: number, url: string, body: object, now: number): void;
  /** Stops the timer and waits for the request in flight (aborted after a short grace; it is sent again after a restart). */
  close(): Promise<void>;
}

interface DeliveryRow {
  id: number;
  alert_id: number;
  url: string;
  body: string;
  attempts: number;
}

const CLOSE_GRACE_MS = 2_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One request at a time, oldest due first, so a receiver that is up gets an alert's `raised` before
 * its `resolved`. Retries and their delays are the task callbacks' settings: `callbackRetries` (3)
 * retries, the n-th after `callbackBaseDelayMs` × 2^(n-1), each attempt limited to `callbackTimeoutMs`.
 * Outcomes go to the audit trail as `webhook_delivered`, `webhook_failed` and `webhook_refused`.
 */
export function createWebhookSender(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  events: EventStore;
  config: Pick<HubConfig, 'callbackRetries' | 'callbackBaseDelayMs' | 'callbackTimeoutMs'>;
  policy: CallbackPolicy;
  sign: Signer;
}): WebhookSender {
  const { db, clock, logger, events, config, policy, sign } = deps;
  const insert = db.prepare<[number, string, string, number, number]>(
    'INSERT INTO webhook_deliveries (alert_id, url, body, next_at, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const due = db.prepare<[number], DeliveryRow>("SELECT * FROM webhook_deliveries WHERE state = 'pending' AND next_at <= ? ORDER BY next_at, id LIMIT 1");
  const nextDue = db.prepare<[], number>("SELECT min(next_at) FROM webhook_deliveries WHERE state = 'pending'").pluck();
  const retry = db.prepare<[number, number, string, number]>('UPDATE webhook_deliveries SET attempts = ?, next_at = ?, last_error = ? WHERE id = ?');
  const finish = db.prepare<[string, number, string | null, number]>('UPDATE webhook_deliveries SET state = ?, attempts = ?, last_error = ? WHERE id = ?');
  const shutdown = new AbortController();
  let inFlight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const record = (row: DeliveryRow, outcome: Exclude<PostOutcome, { kind: 'aborted' }>, now: number): void => {
    const attempts = row.attempts + 1;
    const detail = { alert: row.alert_id, host: hostOf(row.url), attempts };
    if (outcome.kind === 'delivered') {
      finish.run('delivered', attempts, null, row.id);
      events.record('webhook_delivered', now, { subject: String(row.alert_id), detail: { ...detail, status: outcome.status } });
    } else if (outcome.kind === 'refused') {
      finish.run('refused', attempts, outcome.error, row.id);
      events.record('webhook_refused', now, { subject: String(row.alert_id), detail: { ...detail, error: outcome.error } });
      logger.warn('an alert webhook was refused by the SSRF guard', { ...detail, error: outcome.error });
    } else if (attempts <= config.callbackRetries) {
      const delay = config.callbackBaseDelayMs * 2 ** (attempts - 1);
      retry.run(attempts, now + delay, outcome.error, row.id);
      logger.info('an alert webhook attempt failed; it will be retried', { ...detail, error: outcome.error, retryInMs: delay });
    } else {
      finish.run('failed', attempts, outcome.error, row.id);
      events.record('webhook_failed', now, { subject: String(row.alert_id), detail: { ...detail, error: outcome.error } });
      logger.warn('an alert webhook failed after every retry', { ...detail, error: outcome.error });
    }
  };

  function pump(): void {
    clearTimeout(timer);
    timer = undefined;
    if (closed || inFlight !== undefined) return;
    try {
      const row = due.get(clock.now());
      if (row === undefined) {
        const next = nextDue.get();
        if (next !== null && next !== undefined) {
          timer = setTimeout(pump, Math.min(Math.max(0, next - clock.now()), MAX_TIMER_MS));
          timer.unref();
        }
        return;
      }
      const options = {
        policy,
        sign,
        timeoutMs: config.callbackTimeoutMs,
        signal: shutdown.signal,
        idHeader: 'x-switchboard-alert',
      };
      inFlight = postCallback(row.url, row.body, String(row.alert_id), options)
        .then((outcome) => {
          if (outcome.kind !== 'aborted') record(row, outcome, clock.now());
        })
        .catch((error: unknown) => logger.error('an alert webhook outcome could not be stored', { alert: row.alert_id, error: String(error) }))
        .finally(() => {
          inFlight = undefined;
          if (!closed) setImmediate(pump);
        });
    } catch (error) {
      logger.error('the webhook outbox could not be read; trying again shortly', { error: String(error) });
      timer = setTimeout(pump, 1_000);
      timer.unref();
    }
  }

  // Deliveries left by a stop or a crash go out again.
  setImmediate(pump);

  return {
    enqueue(alertId, url, body, now) {
      insert.run(alertId, url, JSON.stringify(body), now, now);
      setImmediate(pump);
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      if (inFlight === undefined) return;
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([inFlight, new Promise<void>((resolve) => (grace = setTimeout(resolve, CLOSE_GRACE_MS)))]);
      clearTimeout(grace);
      shutdown.abort();
      await inFlight;
    },
  };
}
