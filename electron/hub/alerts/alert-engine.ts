/**
 * The alert engine: runs the rules on interactions, hub events, a periodic health check and a periodic look
 * at the federation link; one alert per rule and subject, a cooldown, and delivery.
 */
import {
  SwitchboardError,
  type AlertConfig,
  type AlertEventKind,
  type AlertFrame,
  type AlertRecord,
  type AlertRule,
  type AlertState,
  type FederationStatus,
} from '../../../shared/index.js';
import type { HubConfig } from '../config.js';
import type { Connection } from '../ws/connection.js';
import type { Logger } from '../../common/logger.js';
import type { Ingest } from '../metrics/ingest.js';
import type { Signer } from '../relay/callback-signing.js';
import type { CallbackPolicy } from '../relay/ssrf-guard.js';
import type { Clock } from '../../common/clock.js';
import type { Db } from '../store/database.js';
import type { EventStore, RecordedEvent } from '../store/event-store.js';
import { storedConfig } from './alert-config.js';
import { newFederationWatch, newWindow, onEvent, onFederation, onHealth, onInteraction, sweepWindow, type AgentWindow, type Decision } from './alert-rules.js';
import { alertRecord, createAlertStore, type Alert } from './alert-store.js';
import { createHealthProbe } from './health-probe.js';
import { createWebhookSender } from './webhook-sender.js';

/** What the desktop shell's hook receives: the same as an `alert` frame without its type. */
export interface AlertEvent {
  event: AlertEventKind;
  alert: AlertRecord;
}

export type AlertEngine = ReturnType<typeof createAlertEngine>;

/** Time between health checks. */
export const HEALTH_CHECK_MS = 30_000;
/** Time between looks at the federation link: its thresholds are counted in seconds. */
export const FEDERATION_CHECK_MS = 10_000;
const MINUTE_MS = 60_000;
/** Hub events that raise alerts on their own. */
const WATCHED_EVENTS = new Set(['offline_queue_drop', 'task.failed', 'callback_failed', 'conversation_paused', 'conversation_resumed']);
/** Watched events whose subject is a task id. */
const TASK_EVENTS = new Set(['task.failed', 'callback_failed']);
const SETTINGS_KEY = 'alerts';

export function createAlertEngine(deps: {
  db: Db;
  ingest: Ingest;
  events: EventStore;
  config: HubConfig;
  clock: Clock;
  logger: Logger;
  /** The webhook's SSRF guard and signature, the same as the task callbacks'. */
  policy: CallbackPolicy;
  sign: Signer;
  /** The federation link's status (`enabled: false` when the hub has no federation section). */
  federation: { status(): Promise<FederationStatus> };
}) {
  const { clock, logger } = deps;
  const store = createAlertStore(deps.db);
  const sender = createWebhookSender({ db: deps.db, clock, logger, events: deps.events, config: deps.config, policy: deps.policy, sign: deps.sign });
  const probe = createHealthProbe(deps.db, deps.config.offlineQueueCapacity);
  let settings = storedConfig(store.readSetting(SETTINGS_KEY));
  const keyOf = (rule: string, subject: string): string => `${rule}\u0000${subject}`;
  /** Unresolved alerts by rule and subject; `touched` ones have newer occurrences than the table. */
  const active = new Map(store.unresolved().map((alert) => [keyOf(alert.rule, alert.subject), alert]));
  const touched = new Set<Alert>();
  /** When each rule and subject last got a new alert: the cooldown survives a restart. */
  const lastRaised = new Map(store.lastRaised(clock.now() - 7 * 24 * 60 * MINUTE_MS).map((row) => [keyOf(row.rule, row.subject), row.at]));
  const windows = new Map<string, AgentWindow>();
  const federationWatch = newFederationWatch();
  /** The federation check under way: asking NATS may take seconds, and checks must not pile up meanwhile. */
  let federationCheck: Promise<void> | undefined;
  const watchers = new Set<Connection>();
  const listeners = new Set<(event: AlertEvent) => void>();
  const noted: RecordedEvent[] = [];
  const stats = { raised: 0, suppressed: 0 };
  let pendingEvents: NodeJS.Immediate | undefined;
  let closed = false;

  const flushTouched = (): void => {
    for (const alert of touched) store.save(alert);
    touched.clear();
  };

  /** Stores the change in the audit trail (`alert.raised`, …), pushes it to watchers, hands it to the hook and queues the webhook. */
  const deliver = (event: AlertEventKind, alert: Alert, now: number): void => {
    const actor = event === 'acknowledged' ? alert.acknowledged_by : null;
    deps.events.record(`alert.${event}`, now, {
      actor,
      subject: alert.subject,
      detail: { alert: alert.id, rule: alert.rule, level: alert.level, message: alert.message },
    });
    const frame = push(event, alertRecord(alert));
    // The person acknowledged it themselves; the webhook hears about what the hub found.
    if (event !== 'acknowledged' && settings.enabled && settings.webhook_url !== null) sender.enqueue(alert.id, settings.webhook_url, frame, now);
  };

  /** Sends the change to watching connections and the desktop hook. */
  const push = (event: AlertEventKind, record: AlertRecord): AlertFrame => {
    const frame: AlertFrame = { type: 'alert', event, alert: record };
    const data = JSON.stringify(frame);
    for (const conn of watchers) if (!conn.send(data) && !conn.isOpen) watchers.delete(conn);
    for (const listener of listeners) {
      try {
        listener({ event, alert: frame.alert });
      } catch (error) {
        logger.error('an alert listener threw', { error: String(error) });
      }
    }
    return frame;
  };

  /** Applies a decision; returns the alert a raise counted in (new, escalated or repeated), if any. */
  const apply = (decision: Decision, now: number): Alert | undefined => {
    const key = keyOf(decision.rule, decision.subject);
    const alert = active.get(key);
    if (decision.kind === 'resolve') {
      if (alert === undefined) return undefined;
      touched.delete(alert);
      active.delete(key);
      Object.assign(alert, { state: 'resolved', resolved_at: now });
      store.save(alert);
      logger.info('alert resolved', { id: alert.id, rule: alert.rule, subject: alert.subject, reason: decision.reason });
      deliver('resolved', alert, now);
      return undefined;
    }
    if (alert !== undefined) {
      Object.assign(alert, { occurrences: alert.occurrences + 1, last_at: now, value: decision.value, message: decision.message });
      if (decision.level !== 'critical' || alert.level === 'critical') {
        touched.add(alert);
        return alert;
      }
      // Escalation is news even within the cooldown; an alert never goes back down to a warning.
      alert.level = 'critical';
      touched.delete(alert);
      store.save(alert);
      logger.info('alert escalated', { id: alert.id, rule: alert.rule, subject: alert.subject, message: alert.message });
      deliver('escalated', alert, now);
      return alert;
    }
    if (!settings.enabled) return undefined;
    const last = lastRaised.get(key);
    if (last !== undefined && now - last < settings.alert_cooldown_minutes * MINUTE_MS) {
      stats.suppressed++;
      return undefined;
    }
    const created = store.insert(decision, now);
    active.set(key, created);
    lastRaised.set(key, now);
    stats.raised++;
    logger.info('alert raised', { id: created.id, rule: created.rule, subject: created.subject, level: created.level, message: created.message });
    deliver('raised', created, now);
    return created;
  };

  /**
   * The alert a task's event counted in, recorded under the task (`task.alerted`, subject = the task id) so
   * the task's lineage finds it: the alert's own subject is the agent or host the rule watches.
   */
  const noteTaskAlert = (event: RecordedEvent, alert: Alert, now: number): void => {
    if (!TASK_EVENTS.has(event.kind) || event.subject === null) return;
    deps.events.record('task.alerted', now, {
      subject: event.subject,
      detail: { alert: alert.id, rule: alert.rule, level: alert.level, message: alert.message, occurrences: alert.occurrences },
    });
  };

  const guarded = (what: string, work: () => void): void => {
    if (closed) return;
    try {
      work();
    } catch (error) {
      logger.error(`the alert rules could not handle ${what}`, { error: String(error) });
    }
  };

  const stopInteractions = deps.ingest.onInteraction((interaction) =>
    guarded('an interaction', () => {
      const now = clock.now();
      let window = windows.get(interaction.agent);
      if (window === undefined) windows.set(interaction.agent, (window = newWindow()));
      for (const decision of onInteraction(window, interaction, settings, now)) apply(decision, now);
    }),
  );

  // Events are often recorded inside a transaction: noted now, judged after the turn, once it committed.
  const judgeEvents = (): void => {
    pendingEvents = undefined;
    guarded('a hub event', () => {
      for (const event of noted.splice(0)) {
        const decision = onEvent(event);
        if (decision === undefined) continue;
        const now = clock.now();
        const alert = apply(decision, now);
        if (alert !== undefined) noteTaskAlert(event, alert, now);
      }
    });
  };
  const stopEvents = deps.events.onRecord((event) => {
    if (closed || !WATCHED_EVENTS.has(event.kind)) return;
    noted.push(event);
    pendingEvents ??= setImmediate(judgeEvents);
  });

  const check = (): void =>
    guarded('the health check', () => {
      const now = clock.now();
      for (const [agent, window] of windows) {
        for (const decision of sweepWindow(window, agent, settings, now)) apply(decision, now);
        if (window.samples.length === 0 && window.consecutive === 0) windows.delete(agent);
      }
      const snapshot = probe(now, settings.task_wait_minutes * MINUTE_MS);
      for (const decision of onHealth(snapshot, [...active.values()], settings, now)) apply(decision, now);
      flushTouched();
    });
  const timer = setInterval(check, HEALTH_CHECK_MS);
  timer.unref();

  const checkFederation = (): Promise<void> => {
    if (closed) return Promise.resolve();
    federationCheck ??= deps.federation
      .status()
      .then(
        (status) =>
          guarded('the federation check', () => {
            // Federation in the settings but not running (the hub is starting or stopping): nothing to judge.
            if (!status.enabled && deps.config.federation !== undefined) return;
            const now = clock.now();
            for (const decision of onFederation(federationWatch, status, [...active.values()], settings, now)) apply(decision, now);
            flushTouched();
          }),
        (error: unknown) => logger.error('the federation check could not read the link status', { error: String(error) }),
      )
      .finally(() => (federationCheck = undefined));
    return federationCheck;
  };
  const federationTimer = setInterval(() => void checkFederation(), FEDERATION_CHECK_MS);
  federationTimer.unref();

  return {
    stats,
    get config(): AlertConfig {
      return settings;
    },
    /** Replaces the settings (validated by alert-config.ts) and stores them. */
    setConfig(next: AlertConfig): void {
      store.writeSetting(SETTINGS_KEY, next, clock.now());
      settings = next;
    },
    /** Newest first, optionally in one state. */
    list(state: AlertState | undefined, limit: number): AlertRecord[] {
      flushTouched();
      return store.list(state, limit).map(alertRecord);
    },
    counts: () => store.counts(),
    /** Unresolved alerts by level. */
    openByLevel(): Record<string, number> {
      const counts: Record<string, number> = {};
      for (const alert of active.values()) counts[alert.level] = (counts[alert.level] ?? 0) + 1;
      return counts;
    },
    /** Marks an alert seen by `by`; undefined when there is no such alert. A repeat changes nothing. */
    acknowledge(id: number, by: string): AlertRecord | undefined {
      flushTouched();
      const alert = [...active.values()].find((a) => a.id === id) ?? store.get(id);
      if (alert === undefined) return undefined;
      if (alert.acknowledged_at !== null) return alertRecord(alert);
      const now = clock.now();
      Object.assign(alert, { acknowledged_at: now, acknowledged_by: by, state: alert.state === 'open' ? 'acknowledged' : alert.state });
      store.save(alert);
      deliver('acknowledged', alert, now);
      return alertRecord(alert);
    },
    /** The desktop shell's hook: called with every raised, escalated, resolved and acknowledged alert. */
    onAlert(listener: (event: AlertEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** `subscribe` with `"alerts": true` (admin only) / false. */
    watch(conn: Connection, on: boolean): void {
      if (on && conn.identity?.admin !== true) throw new SwitchboardError('SB_ERR_FORBIDDEN', 'alerts are for the admin token (from connection.json)');
      if (on) watchers.add(conn);
      else watchers.delete(conn);
    },
    forget(conn: Connection): void {
      watchers.delete(conn);
    },
    /**
     * A critical alert the database cannot hold, because it is damaged and no longer written to: logged and
     * pushed to watching connections and the desktop hook, but not stored, listed or sent to the webhook
     * (whose deliveries are stored too). Its id is 0.
     */
    announceUnstored(rule: AlertRule, subject: string, message: string): void {
      if (closed) return;
      const at = new Date(clock.now()).toISOString();
      logger.error('alert raised (not stored)', { rule, subject, level: 'critical', message });
      push('raised', {
        ...{ id: 0, rule, subject, level: 'critical', state: 'open', message, value: null, threshold: null, occurrences: 1 },
        ...{ first_at: at, last_at: at, resolved_at: null, acknowledged_at: null, acknowledged_by: null },
      });
    },
    /** Runs the health check now (it also runs every 30 s); tests on a manual clock call it. */
    check,
    /** Looks at the federation link now (it also does every 10 s); resolves once its decisions are applied. */
    checkFederation,
    async close(): Promise<void> {
      if (closed) return;
      clearInterval(timer);
      clearInterval(federationTimer);
      clearImmediate(pendingEvents);
      stopInteractions();
      stopEvents();
      guarded('the last occurrences', flushTouched);
      closed = true;
      await sender.close();
    },
  };
}
