/**
 * The hub's own housekeeping over HTTP (admin): its settings (in effect, and saved to settings.json for the
 * next start), the callback signing secret, and a backup of the database.
 */
import { z } from 'zod';
import { isoTime } from '../common.js';
import { BACKUP_INTERVALS, DEFAULT_LIMITS } from '../limits.js';
import { okStatus } from './common.js';
import { defineRoute } from './route.js';

// Object.fromEntries loses the key types; the keys are exactly the limits'.
const limitFields = Object.fromEntries(Object.keys(DEFAULT_LIMITS).map((key) => [key, z.number()])) as { [K in keyof typeof DEFAULT_LIMITS]: z.ZodNumber };

/** Every setting the hub runs with (the data folder aside: it is where settings.json lives). */
export const effectiveSettings = z.object({
  ...limitFields,
  host: z.string(),
  port: z.number().int(),
  portFallback: z.boolean(),
  allowedOrigins: z.array(z.string()),
  allowedHosts: z.array(z.string()),
  allowedCallbackHosts: z.array(z.string()),
  backupEvery: z.enum(BACKUP_INTERVALS),
  /** New agent names wait for the person to allow them. */
  approveNewAgents: z.boolean(),
  /** Null for the data folder's backups/. */
  backupFolder: z.string().nullable(),
  /** The `federation` section as in effect (with its defaults filled in); absent when the hub stands alone. */
  federation: z.record(z.string(), z.unknown()).exactOptional(),
});
export type EffectiveSettings = z.output<typeof effectiveSettings>;

/** What the `federation` section's optional settings stand for when left out; `hubId` is this machine's name. */
export const federationDefaultSettings = z.object({ hubId: z.string(), stream: z.string(), replicas: z.number().int() });
export type FederationDefaults = z.output<typeof federationDefaultSettings>;

/** What the hub runs with, settings.json as it is (applied at the next start), where that file is, and the federation defaults. */
export const settingsResponse = z.object({
  status: okStatus,
  effective: effectiveSettings,
  file: z.record(z.string(), z.unknown()),
  path: z.string(),
  federation_defaults: federationDefaultSettings,
});
export type SettingsResponse = z.output<typeof settingsResponse>;

/** The settings to change, by name, as settings.json spells them; null removes one from the file, so its default applies again. */
export const saveSettingsRequest = z.record(z.string(), z.unknown());
export type SaveSettingsRequest = z.input<typeof saveSettingsRequest>;

/** Saved changes apply at the next start; `restart_required` names those that differ from what the hub runs with, A to Z. */
export const saveSettingsResponse = z.object({ status: okStatus, saved: z.literal(true), restart_required: z.array(z.string()) });

/** The secret that signs task callbacks and webhooks; after a rotation the previous one also signs until `previous_valid_until`. */
export const callbackSecretResponse = z.object({
  status: okStatus,
  secret: z.string(),
  created_at: isoTime,
  previous_valid_until: isoTime.nullable(),
  /** The file that holds it. */
  file: z.string(),
});
export type CallbackSecretResponse = z.output<typeof callbackSecretResponse>;

/**
 * An absolute file path to write to; the data folder's backups/ with a dated name when left out. Strict, so
 * a misspelt field (`{"file": …}`) is refused instead of writing to the default place.
 */
export const createBackupRequest = z.strictObject({ path: z.string().min(1).optional() });
export type CreateBackupRequest = z.input<typeof createBackupRequest>;

export const createBackupResponse = z.object({
  status: okStatus,
  backup: z.object({
    file: z.string(),
    bytes: z.number().int(),
    /** The migrations the copy has been through. */
    schema_version: z.number().int(),
    messages: z.number().int(),
    tasks: z.number().int(),
    /** The highest message seq in it (0 when it has no messages). */
    last_seq: z.number().int(),
    /** When the copy was finished: it holds what was committed up to then. */
    created_at: isoTime,
  }),
});

export const settingsApi = {
  settings: defineRoute({ method: 'GET', path: '/api/settings', access: 'admin', ok: [200], response: settingsResponse }),
  saveSettings: defineRoute({ method: 'PUT', path: '/api/settings', access: 'admin', body: saveSettingsRequest, ok: [200], response: saveSettingsResponse }),
  callbackSecret: defineRoute({ method: 'GET', path: '/api/callback-secret', access: 'admin', ok: [200], response: callbackSecretResponse }),
  rotateCallbackSecret: defineRoute({ method: 'POST', path: '/api/callback-secret/rotate', access: 'admin', ok: [200], response: callbackSecretResponse }),
  createBackup: defineRoute({ method: 'POST', path: '/api/backups', access: 'admin', body: createBackupRequest, ok: [201], response: createBackupResponse }),
};
