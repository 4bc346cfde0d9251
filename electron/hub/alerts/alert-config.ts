/** Alert settings: validation naming every bad field, partial updates (PUT) and the seed's alert_config.json imported as is. */
import type { z } from 'zod';
import { DEFAULT_ALERT_CONFIG, importAlertConfigRequest, SwitchboardError, updateAlertConfigRequest, type AlertConfig } from '../../../shared/index.js';
import { checkCallbackUrl, type CallbackPolicy } from '../relay/ssrf-guard.js';

/** Every setting's name, for the message that names an unknown one. */
const SETTING_NAMES = Object.keys(importAlertConfigRequest.shape);

/** Fields that are accepted and ignored. */
const IGNORED = ['email_notifications'] as const;

export type AlertConfigUpdate = z.output<typeof updateAlertConfigRequest>;

/** One sentence naming every bad field, e.g. `error_rate_threshold: Too big: expected number to be <=100; enabled: …`. */
function describeAll(error: z.ZodError): string {
  return error.issues
    .flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => `${key}: not an alert setting (known: ${SETTING_NAMES.join(', ')})`)
        : [`${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`],
    )
    .join('; ');
}

/** The stored settings over the defaults; a row from an older version just lacks newer fields. */
export function storedConfig(stored: unknown): AlertConfig {
  const parsed = importAlertConfigRequest.safeParse(stored);
  return merge(DEFAULT_ALERT_CONFIG, parsed.success ? parsed.data : {});
}

function merge(base: AlertConfig, patch: AlertConfigUpdate): AlertConfig {
  const next: AlertConfig = { ...base };
  for (const key of Object.keys(DEFAULT_ALERT_CONFIG) as (keyof AlertConfig)[]) {
    if (patch[key] !== undefined) Object.assign(next, { [key]: patch[key] });
  }
  // An empty URL in a form means "no webhook".
  if (next.webhook_url !== null && next.webhook_url.trim() === '') next.webhook_url = null;
  return next;
}

/** Checks the webhook with the callbacks' SSRF guard, so a refused URL is named when it is saved, not when an alert fires. */
function checkWebhook(config: AlertConfig, policy: CallbackPolicy): void {
  if (config.webhook_url === null) return;
  const problem = checkCallbackUrl(config.webhook_url, policy);
  if (problem !== undefined) throw new SwitchboardError('SB_ERR_VALIDATION', `invalid alert settings: webhook_url: ${problem.replace('callback', 'webhook')}`);
}

/** PUT: the fields given replace the current ones; an unknown field or a bad value is refused, naming each. */
export function applyUpdate(current: AlertConfig, body: unknown, policy: CallbackPolicy): AlertConfig {
  const parsed = updateAlertConfigRequest.safeParse(body);
  if (!parsed.success) throw new SwitchboardError('SB_ERR_VALIDATION', `invalid alert settings: ${describeAll(parsed.error)}`);
  const next = merge(current, parsed.data);
  checkWebhook(next, policy);
  return next;
}

/**
 * Import: the seed's alert_config.json as is. Its fields replace the current ones, seed fields it leaves
 * out go back to their defaults, and the hub's own extra settings keep their values. Returns the keys
 * that were ignored (email_notifications and any this hub does not know).
 */
export function importSeed(current: AlertConfig, body: unknown, policy: CallbackPolicy): { config: AlertConfig; ignored: string[] } {
  const parsed = importAlertConfigRequest.safeParse(body);
  if (!parsed.success) throw new SwitchboardError('SB_ERR_VALIDATION', `invalid alert_config.json: ${describeAll(parsed.error)}`);
  const seedDefaults: AlertConfigUpdate = {
    error_rate_threshold: DEFAULT_ALERT_CONFIG.error_rate_threshold,
    response_time_threshold: DEFAULT_ALERT_CONFIG.response_time_threshold,
    consecutive_errors_threshold: DEFAULT_ALERT_CONFIG.consecutive_errors_threshold,
    alert_cooldown_minutes: DEFAULT_ALERT_CONFIG.alert_cooldown_minutes,
    enabled: DEFAULT_ALERT_CONFIG.enabled,
    webhook_url: DEFAULT_ALERT_CONFIG.webhook_url,
  };
  const config = merge(merge(current, seedDefaults), parsed.data);
  checkWebhook(config, policy);
  const known = new Set(SETTING_NAMES);
  const given = body as Record<string, unknown>;
  const ignored = Object.keys(given).filter((key) => !known.has(key) || (IGNORED as readonly string[]).includes(key));
  return { config, ignored };
}
