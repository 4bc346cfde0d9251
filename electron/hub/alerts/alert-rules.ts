/**
 * The alert rules, pure: an agent's window, an interaction, a health snapshot, the federation link's status
 * or a hub event, and the time → raise and resolve decisions.
 */
import { plural, type AlertConfig, type AlertLevel, type AlertRule, type FederationStatus } from '../../../shared/index.js';

/** A measured value at this multiple of its threshold makes the alert critical instead of a warning. */
export const CRITICAL_FACTOR = 2;
/** Outcomes kept per agent at most, so a flood of interactions cannot grow a window without bound. */
const MAX_SAMPLES = 10_000;
const MINUTE_MS = 60_000;

export interface Raise {
  kind: 'raise';
  rule: AlertRule;
  subject: string;
  level: AlertLevel;
  value: number | null;
  threshold: number | null;
  message: string;
}

export interface Resolve {
  kind: 'resolve';
  rule: AlertRule;
  subject: string;
  /** Why the condition cleared, for the log. */
  reason: string;
}

export type Decision = Raise | Resolve;

/** What the rules remember about one agent's interactions. */
export interface AgentWindow {
  /** Outcomes inside the error-rate window, oldest first, by the time the hub stored them. */
  samples: { at: number; ok: boolean }[];
  /** Index of the oldest sample still inside the window (older ones are cut off in bulk, not one by one). */
  head: number;
  /** Failures among the samples from `head` on, kept as they come and go so no interaction rescans the window. */
  errors: number;
  /** Failed interactions in a row, up to the latest. */
  consecutive: number;
}

/** The interaction fields the rules read. */
export interface InteractionSignal {
  agent: string;
  response_time_ms: number;
  success: boolean;
  error_type: string | null;
}

/** The hub's delivery health at one moment (read by the periodic check). */
export interface HealthSnapshot {
  /** Agents with direct messages in their offline queue, and how many. */
  queues: { agent: string; depth: number }[];
  /** `offlineQueueCapacity`. */
  capacity: number;
  /** Per target: due tasks not offered to anyone, and since when the oldest has been due (epoch ms). */
  waiting: { target: string; count: number; oldest: number }[];
}

/** An unresolved alert as the health rules need it. */
export interface ActiveAlert {
  rule: AlertRule;
  subject: string;
  last_at: number;
}

/** A hub event (the audit trail's `kind`, `actor`, `subject`, `detail`). */
export interface EventSignal {
  kind: string;
  actor: string | null;
  subject: string | null;
  detail: unknown;
}

/** What the federation rule remembers between checks: since when the link has been down, and since when it has been behind. */
export interface FederationWatch {
  downSince: number | undefined;
  behindSince: number | undefined;
}

export const newWindow = (): AgentWindow => ({ samples: [], head: 0, errors: 0, consecutive: 0 });
export const newFederationWatch = (): FederationWatch => ({ downSince: undefined, behindSince: undefined });

const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;
const levelFor = (value: number, threshold: number): AlertLevel => (value >= threshold * CRITICAL_FACTOR ? 'critical' : 'warning');
const raise = (rule: AlertRule, subject: string, level: AlertLevel, value: number | null, threshold: number | null, message: string): Raise => ({
  kind: 'raise',
  rule,
  subject,
  level,
  value,
  threshold,
  message,
});
const resolve = (rule: AlertRule, subject: string, reason: string): Resolve => ({ kind: 'resolve', rule, subject, reason });

/** Drops outcomes older than the window; returns the failures, the count and the rate in percent (0 for an empty window). */
export function errorRate(window: AgentWindow, config: AlertConfig, now: number): { errors: number; samples: number; rate: number } {
  const from = now - config.error_rate_window_minutes * MINUTE_MS;
  const list = window.samples;
  while (window.head < list.length && ((list[window.head]?.at ?? now) < from || list.length - window.head > MAX_SAMPLES)) {
    if (list[window.head]?.ok === false) window.errors--;
    window.head++;
  }
  if (window.head === list.length) {
    window.samples = [];
    window.head = 0;
  } else if (window.head > 1024 && window.head * 2 > list.length) {
    window.samples = list.slice(window.head);
    window.head = 0;
  }
  const samples = window.samples.length - window.head;
  return { errors: window.errors, samples, rate: samples === 0 ? 0 : (window.errors / samples) * 100 };
}

/**
 * One committed interaction (`now`: when the hub stored it; the reported timestamp comes from the agent's
 * clock and is not trusted for windows). Updates the window and decides the three seed rules.
 */
export function onInteraction(window: AgentWindow, interaction: InteractionSignal, config: AlertConfig, now: number): Decision[] {
  const { agent, response_time_ms: ms, success } = interaction;
  const decisions: Decision[] = [];
  const slow = config.response_time_threshold;
  decisions.push(
    ms > slow
      ? raise('response_time', agent, levelFor(ms, slow), ms, slow, `${agent} took ${ms} ms to answer (threshold ${slow} ms)`)
      : resolve('response_time', agent, `answered in ${ms} ms`),
  );
  const inRow = config.consecutive_errors_threshold;
  window.consecutive = success ? 0 : window.consecutive + 1;
  if (success) decisions.push(resolve('consecutive_errors', agent, 'an interaction succeeded'));
  else if (window.consecutive >= inRow) {
    const last = interaction.error_type === null ? '' : ` (last: ${interaction.error_type})`;
    decisions.push(
      raise(
        'consecutive_errors',
        agent,
        levelFor(window.consecutive, inRow),
        window.consecutive,
        inRow,
        `${agent} failed ${window.consecutive} interactions in a row${last}`,
      ),
    );
  }
  window.samples.push({ at: now, ok: success });
  if (!success) window.errors++;
  const rate = rateDecision(window, agent, config, now);
  if (rate !== undefined) decisions.push(rate);
  return decisions;
}

/** The error rate over the window: fires above the threshold once the window holds enough samples; clears at or below it. */
function rateDecision(window: AgentWindow, agent: string, config: AlertConfig, now: number): Decision | undefined {
  const { errors, samples, rate } = errorRate(window, config, now);
  const limit = config.error_rate_threshold;
  if (rate <= limit) return resolve('error_rate', agent, `error rate ${round(rate)} % over ${plural(samples, 'interaction')}`);
  if (samples < config.error_rate_min_samples) return undefined;
  const minutes = config.error_rate_window_minutes;
  const text = `${agent}: ${errors} of ${samples} interactions failed in the last ${plural(minutes, 'minute')} (${round(rate)} %, threshold ${limit} %)`;
  return raise('error_rate', agent, levelFor(rate, limit), round(rate, 2), limit, text);
}

/** Time passing: outcomes leave the window, so an error rate may clear without new interactions. */
export function sweepWindow(window: AgentWindow, agent: string, config: AlertConfig, now: number): Decision[] {
  const decision = rateDecision(window, agent, config, now);
  return decision?.kind === 'resolve' ? [decision] : [];
}

/** The periodic health check: queue fill, tasks waiting, and event alerts that have been quiet for the cooldown. */
export function onHealth(snapshot: HealthSnapshot, active: readonly ActiveAlert[], config: AlertConfig, now: number): Decision[] {
  const decisions: Decision[] = [];
  const fill = new Map<string, number>();
  for (const { agent, depth } of snapshot.queues) {
    const percent = (depth / snapshot.capacity) * 100;
    fill.set(agent, percent);
    if (percent < config.queue_fill_threshold) continue;
    const level: AlertLevel = depth >= snapshot.capacity ? 'critical' : 'warning';
    const text = `${agent}'s offline queue is ${round(percent)} % full (${depth} of ${snapshot.capacity} direct messages)`;
    decisions.push(raise('queue_fill', agent, level, round(percent), config.queue_fill_threshold, text));
  }
  const waitLimit = config.task_wait_minutes;
  const late = new Set<string>();
  for (const { target, count, oldest } of snapshot.waiting) {
    const minutes = (now - oldest) / MINUTE_MS;
    if (minutes < waitLimit) continue;
    late.add(target);
    const text = `${plural(count, 'task')} for "${target}" waiting to be offered, the oldest for ${round(minutes)} minutes (threshold ${waitLimit})`;
    decisions.push(raise('task_waiting', target, levelFor(minutes, waitLimit), round(minutes), waitLimit, text));
  }
  const quietMs = Math.max(config.alert_cooldown_minutes, 1) * MINUTE_MS;
  for (const alert of active) {
    const { rule, subject } = alert;
    const percent = fill.get(subject) ?? 0;
    if ((rule === 'queue_fill' || rule === 'queue_drop') && percent < config.queue_fill_threshold) {
      decisions.push(resolve(rule, subject, `the queue is at ${round(percent)} %`));
    } else if (rule === 'task_waiting' && !late.has(subject)) {
      decisions.push(resolve(rule, subject, 'no task has been waiting too long'));
    } else if ((rule === 'task_failed' || rule === 'callback_failed') && now - alert.last_at >= quietMs) {
      decisions.push(resolve(rule, subject, `no new failure for ${plural(quietMs / MINUTE_MS, 'minute')}`));
    }
  }
  return decisions;
}

/**
 * The periodic federation check. The link down for `federation_down_seconds`, or connected but more than
 * `federation_lag_threshold` messages behind (local ones to publish, or stream ones to take in) for
 * `federation_lag_seconds`, raises `federation` for this hub's id, critical at twice the time or the lag.
 * Connected and within the threshold resolves it. A backlog is timed only while connected: while the link
 * is down, the backlog grows because it is down, and that is the alert.
 */
export function onFederation(watch: FederationWatch, status: FederationStatus, active: readonly ActiveAlert[], config: AlertConfig, now: number): Decision[] {
  const decisions: Decision[] = [];
  const subject = status.enabled ? status.hub_id : undefined;
  // Federation switched off, or this hub renamed, since the alert was raised.
  for (const alert of active) {
    if (alert.rule === 'federation' && alert.subject !== subject) {
      decisions.push(resolve('federation', alert.subject, subject === undefined ? 'federation is off' : `this hub is "${subject}" now`));
    }
  }
  if (!status.enabled) {
    Object.assign(watch, newFederationWatch());
    return decisions;
  }
  const { hub_id: hub, outbox, inbound } = status;
  const behind = Math.max(outbox.pending, inbound.pending ?? 0);
  const lagLimit = config.federation_lag_threshold;
  watch.downSince = status.connected ? undefined : (watch.downSince ?? now);
  watch.behindSince = status.connected && behind > lagLimit ? (watch.behindSince ?? now) : undefined;
  const toPublish = plural(outbox.pending, 'local message');
  if (watch.downSince !== undefined) {
    const seconds = Math.round((now - watch.downSince) / 1000);
    const limit = config.federation_down_seconds;
    if (seconds < limit) return decisions;
    const lastError = status.last_error === null ? '' : `; last error: ${status.last_error.message}`;
    const text = `hub "${hub}" has not been connected to NATS (${status.servers.join(', ')}) for ${seconds} s (threshold ${limit} s); ${toPublish} waiting to be published${lastError}`;
    decisions.push(raise('federation', hub, levelFor(seconds, limit), seconds, limit, text));
  } else if (watch.behindSince !== undefined) {
    const seconds = Math.round((now - watch.behindSince) / 1000);
    const limit = config.federation_lag_seconds;
    if (seconds < limit) return decisions;
    const toTakeIn = inbound.pending === null ? "the stream's backlog unknown" : `${plural(inbound.pending, 'stream message')} to take in`;
    const text = `hub "${hub}" has been more than ${plural(lagLimit, 'message')} behind for ${seconds} s (threshold ${limit} s): ${toPublish} to publish, ${toTakeIn}`;
    decisions.push(raise('federation', hub, levelFor(behind, lagLimit), behind, lagLimit, text));
  } else {
    decisions.push(resolve('federation', hub, `connected to ${status.server ?? 'NATS'}, ${plural(behind, 'message')} behind`));
  }
  return decisions;
}

/** A hub event that is an alert on its own: a queue drop, a task failed after its last attempt, a callback failed after its retries. */
export function onEvent(event: EventSignal): Decision | undefined {
  const detail = event.detail !== null && typeof event.detail === 'object' ? (event.detail as Record<string, unknown>) : {};
  const num = (key: string): number | null => (typeof detail[key] === 'number' ? detail[key] : null);
  const str = (key: string, fallback: string): string => (typeof detail[key] === 'string' ? detail[key] : fallback);
  const task = event.subject ?? 'unknown';
  // The loop breaker paused a conversation: critical until the person resumes it.
  if (event.kind === 'conversation_paused' && event.subject !== null) {
    return raise(
      'conversation_loop',
      event.subject,
      'critical',
      null,
      null,
      `conversation ${event.subject} was paused by the loop breaker: ${str('reason', 'a loop')}; resume it with POST /api/conversations/${event.subject}/resume`,
    );
  }
  if (event.kind === 'conversation_resumed' && event.subject !== null) return resolve('conversation_loop', event.subject, 'resumed');
  if (event.kind === 'offline_queue_drop' && event.subject !== null) {
    const dropped = num('dropped') ?? 0;
    return raise(
      'queue_drop',
      event.subject,
      'critical',
      dropped,
      null,
      `${event.subject}'s offline queue is full: dropped the oldest ${plural(dropped, 'direct message')}`,
    );
  }
  // Only the dispatcher fails a task without an actor, and only after its last attempt ran out.
  if (event.kind === 'task.failed' && event.actor === null && num('attempts') !== null) {
    const agent = str('agent', 'unknown');
    return raise(
      'task_failed',
      agent,
      'warning',
      num('attempts'),
      null,
      `task ${task} failed: gave up after ${plural(num('attempts') ?? 0, 'attempt')} (${str('reason', 'no reason')})`,
    );
  }
  if (event.kind === 'callback_failed') {
    const host = str('host', 'unknown');
    const text = `the callback of task ${task} to ${host} failed after ${plural(num('attempts') ?? 0, 'attempt')}: ${str('error', 'no error')}`;
    return raise('callback_failed', host, 'warning', num('attempts'), null, text);
  }
  return undefined;
}
