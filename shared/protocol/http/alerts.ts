/** Alerts over HTTP (admin): the list newest first, acknowledge, and the alert settings (read, update, import the seed's file). */
import { z } from 'zod';
import { ALERT_STATES, alertConfig, alertRecord } from '../alert-types.js';
import { okStatus, pageLimit } from './common.js';
import { defineRoute } from './route.js';

export const listAlertsQuery = z.object({ state: z.enum(ALERT_STATES).optional(), limit: pageLimit(100) });
export type ListAlertsQuery = z.input<typeof listAlertsQuery>;

/** Newest first; `counts` covers every alert, by state. */
export const listAlertsResponse = z.object({
  status: okStatus,
  alerts: z.array(alertRecord),
  counts: z.record(z.enum(ALERT_STATES), z.number().int()),
});
export type ListAlertsResponse = z.output<typeof listAlertsResponse>;

export const acknowledgeAlertResponse = z.object({ status: okStatus, alert: alertRecord });

const percent = z.number().min(0).max(100);
const minutes = z
  .number()
  .min(0)
  .max(7 * 24 * 60);

/** Every alert setting with the values it may take, and the seed's `email_notifications`, accepted and ignored. */
const alertSettingFields = {
  error_rate_threshold: percent,
  response_time_threshold: z.number().min(0).max(86_400_000),
  consecutive_errors_threshold: z.number().int().min(1).max(10_000),
  alert_cooldown_minutes: minutes,
  enabled: z.boolean(),
  /** An empty URL means no webhook, as null does. */
  webhook_url: z.string().max(2000).nullable(),
  error_rate_window_minutes: z
    .number()
    .min(0.1)
    .max(24 * 60),
  error_rate_min_samples: z.number().int().min(1).max(100_000),
  queue_fill_threshold: z.number().gt(0).max(100),
  task_wait_minutes: z
    .number()
    .gt(0)
    .max(7 * 24 * 60),
  federation_down_seconds: z
    .number()
    .gt(0)
    .max(7 * 24 * 3600),
  federation_lag_threshold: z.number().int().min(1).max(100_000_000),
  federation_lag_seconds: z
    .number()
    .gt(0)
    .max(7 * 24 * 3600),
  email_notifications: z.boolean(),
};

/** The settings to change; a field the hub does not know is refused. */
export const updateAlertConfigRequest = z.strictObject(alertSettingFields).partial();
export type UpdateAlertConfigRequest = z.input<typeof updateAlertConfigRequest>;

/**
 * The seed's alert_config.json as it is: its fields replace the current ones, seed fields it leaves out go
 * back to their defaults, and the hub's own extra settings keep their values. Unknown fields are ignored.
 */
export const importAlertConfigRequest = z.object(alertSettingFields).partial();
export type ImportAlertConfigRequest = z.input<typeof importAlertConfigRequest>;

export const alertConfigResponse = z.object({ status: okStatus, config: alertConfig });
export type AlertConfigResponse = z.output<typeof alertConfigResponse>;

/** `ignored`: the file's fields that had no effect (`email_notifications` and any the hub does not know). */
export const importAlertConfigResponse = alertConfigResponse.extend({ ignored: z.array(z.string()) });

export const alertApi = {
  listAlerts: defineRoute({ method: 'GET', path: '/api/alerts', access: 'admin', query: listAlertsQuery, ok: [200], response: listAlertsResponse }),
  acknowledgeAlert: defineRoute({ method: 'POST', path: '/api/alerts/:id/ack', access: 'admin', ok: [200], response: acknowledgeAlertResponse }),
  alertConfig: defineRoute({ method: 'GET', path: '/api/alerts/config', access: 'admin', ok: [200], response: alertConfigResponse }),
  updateAlertConfig: defineRoute({
    method: 'PUT',
    path: '/api/alerts/config',
    access: 'admin',
    body: updateAlertConfigRequest,
    ok: [200],
    response: alertConfigResponse,
  }),
  importAlertConfig: defineRoute({
    method: 'POST',
    path: '/api/alerts/config/import',
    access: 'admin',
    body: importAlertConfigRequest,
    ok: [200],
    response: importAlertConfigResponse,
  }),
};
