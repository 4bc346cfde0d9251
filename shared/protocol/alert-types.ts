/** Alerts as the hub stores, lists and pushes them, and the alert settings (the seed's alert_config.json plus delivery health). */

/** What an alert watches: an agent's interactions (seed), or the hub's delivery health. */
export const ALERT_RULES = [
  'error_rate',
  'response_time',
  'consecutive_errors',
  'queue_fill',
  'queue_drop',
  'task_failed',
  'task_waiting',
  'callback_failed',
  'conversation_loop',
  'database_damaged',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export type AlertLevel = 'warning' | 'critical';

/** open → acknowledged (a person saw it) → resolved (the condition cleared); open may go straight to resolved. */
export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export interface AlertRecord {
  id: number;
  rule: AlertRule;
  /** The agent (interaction rules, queues, failed tasks), the task target (`task_waiting`) or the callback host (`callback_failed`). */
  subject: string;
  level: AlertLevel;
  state: AlertState;
  message: string;
  /** The measured value: percent, ms, a count or minutes, as the rule's threshold is; null when the rule has none. */
  value: number | null;
  threshold: number | null;
  /** How many times the condition was seen while this alert was unresolved. */
  occurrences: number;
  /** ISO 8601 times. */
  first_at: string;
  last_at: string;
  resolved_at: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}

/** What happened to an alert: the `event` of an `alert` frame, a webhook body and the desktop hook. */
export type AlertEventKind = 'raised' | 'escalated' | 'resolved' | 'acknowledged';

/** Pushed to connections that subscribed with `"alerts": true`; also the webhook's body. */
export interface AlertFrame {
  type: 'alert';
  event: AlertEventKind;
  alert: AlertRecord;
}

/** The alert settings. The first six are the seed's alert_config.json fields, with its defaults. */
export interface AlertConfig {
  /** Percent of failed interactions over the window above which `error_rate` fires (seed 5.0). */
  error_rate_threshold: number;
  /** One interaction slower than this, in ms, fires `response_time` (seed 30000). */
  response_time_threshold: number;
  /** This many failed interactions in a row fire `consecutive_errors` (seed 3). */
  consecutive_errors_threshold: number;
  /** After an alert for a rule and subject, no new one for them for this long, in minutes (seed 15). */
  alert_cooldown_minutes: number;
  enabled: boolean;
  /** POSTed every raised, escalated and resolved alert; null for none. */
  webhook_url: string | null;
  /** The sliding window of the error rate, in minutes. */
  error_rate_window_minutes: number;
  /** Interactions the window must hold before the error rate can fire (one failed call is not 100 %). */
  error_rate_min_samples: number;
  /** Percent of `offlineQueueCapacity` at which an agent's queue fires `queue_fill`. */
  queue_fill_threshold: number;
  /** A due task not offered to anyone for this long, in minutes, fires `task_waiting`. */
  task_wait_minutes: number;
}

export const DEFAULT_ALERT_CONFIG: AlertConfig = {
  error_rate_threshold: 5.0,
  response_time_threshold: 30_000,
  consecutive_errors_threshold: 3,
  alert_cooldown_minutes: 15,
  enabled: true,
  webhook_url: null,
  error_rate_window_minutes: 5,
  error_rate_min_samples: 10,
  queue_fill_threshold: 80,
  task_wait_minutes: 10,
};
