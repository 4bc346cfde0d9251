/** Alerts as the hub stores, lists and pushes them, and the alert settings (the seed's alert_config.json plus delivery health). */
import { z } from 'zod';
import { isoTime } from './common.js';

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
  'federation',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export const ALERT_LEVELS = ['warning', 'critical'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

/** open → acknowledged (a person saw it) → resolved (the condition cleared); open may go straight to resolved. */
export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const alertRecord = z.object({
  id: z.number().int(),
  rule: z.enum(ALERT_RULES),
  /**
   * The agent (interaction rules, queues, failed tasks), the task target (`task_waiting`), the callback host
   * (`callback_failed`) or this hub's federation id (`federation`).
   */
  subject: z.string(),
  level: z.enum(ALERT_LEVELS),
  state: z.enum(ALERT_STATES),
  message: z.string(),
  /**
   * The measured value: percent, ms, a count or minutes, as the rule's threshold is; null when the rule has
   * none. `federation`: seconds the link has been down, or messages behind.
   */
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  /** How many times the condition was seen while this alert was unresolved. */
  occurrences: z.number().int(),
  first_at: isoTime,
  last_at: isoTime,
  resolved_at: isoTime.nullable(),
  acknowledged_at: isoTime.nullable(),
  acknowledged_by: z.string().nullable(),
});
export type AlertRecord = z.output<typeof alertRecord>;

/** What happened to an alert: the `event` of an `alert` frame, a webhook body and the desktop hook. */
export type AlertEventKind = 'raised' | 'escalated' | 'resolved' | 'acknowledged';

/** Pushed to connections that subscribed with `"alerts": true`; also the webhook's body. */
export interface AlertFrame {
  type: 'alert';
  event: AlertEventKind;
  alert: AlertRecord;
}

/** The alert settings. The first six are the seed's alert_config.json fields, with its defaults. */
export const alertConfig = z.object({
  /** Percent of failed interactions over the window above which `error_rate` fires (seed 5.0). */
  error_rate_threshold: z.number(),
  /** One interaction slower than this, in ms, fires `response_time` (seed 30000). */
  response_time_threshold: z.number(),
  /** This many failed interactions in a row fire `consecutive_errors` (seed 3). */
  consecutive_errors_threshold: z.number(),
  /** After an alert for a rule and subject, no new one for them for this long, in minutes (seed 15). */
  alert_cooldown_minutes: z.number(),
  enabled: z.boolean(),
  /** POSTed every raised, escalated and resolved alert; null for none. */
  webhook_url: z.string().nullable(),
  /** The sliding window of the error rate, in minutes. */
  error_rate_window_minutes: z.number(),
  /** Interactions the window must hold before the error rate can fire (one failed call is not 100 %). */
  error_rate_min_samples: z.number(),
  /** Percent of `offlineQueueCapacity` at which an agent's queue fires `queue_fill`. */
  queue_fill_threshold: z.number(),
  /** A due task not offered to anyone for this long, in minutes, fires `task_waiting`. */
  task_wait_minutes: z.number(),
  /** The federation link down for this long, in seconds, fires `federation`. */
  federation_down_seconds: z.number(),
  /** More messages than this behind (local ones to publish, or stream ones to take in) … */
  federation_lag_threshold: z.number(),
  /** … for this long, in seconds, fires `federation`. */
  federation_lag_seconds: z.number(),
});
export type AlertConfig = z.output<typeof alertConfig>;

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
  federation_down_seconds: 60,
  federation_lag_threshold: 1000,
  federation_lag_seconds: 60,
};
