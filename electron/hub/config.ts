/** Hub configuration: defaults, and validation (a zod schema) that lists every problem at once. */
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../common/config-error.js';
import { federationSettings, type FederationSettings } from './federation/settings.js';
import {
  BACKUP_INTERVALS,
  DEFAULT_BACKUP_EVERY,
  DEFAULT_HOST,
  DEFAULT_LIMITS,
  DEFAULT_PORT,
  type BackupInterval,
  type Limits,
} from '../../shared/protocol/index.js';

export interface HubConfig extends Limits {
  /** Address to bind; loopback by default so nothing off the machine can reach the hub. */
  host: string;
  /** TCP port; 0 picks a free one. */
  port: number;
  /** When the port is taken, try the next ones (only when the port was not chosen explicitly). */
  portFallback: boolean;
  /** Folder holding the database, logs and connection.json. */
  dataDir: string;
  /** Extra browser Origins allowed to call the hub (the hub's own origin is always allowed). */
  allowedOrigins: string[];
  /** Extra Host header values accepted besides the bound address, localhost and 127.0.0.1. */
  allowedHosts: string[];
  /** Hosts that task callbacks may reach although they are link-local or metadata addresses. */
  allowedCallbackHosts: string[];
  /** How often the hub writes a scheduled backup (default daily). */
  backupEvery: BackupInterval;
  /** Where scheduled backups go; null for the data folder's backups/. */
  backupFolder: string | null;
  /**
   * The first connection of an agent name the hub does not know waits until the person allows it
   * (agent-bound tokens, browser sessions and the admin acting as itself never wait).
   */
  approveNewAgents: boolean;
  /** Hubs on other machines sharing chosen conversations through NATS JetStream; absent, the hub stands alone. */
  federation?: FederationSettings;
}

export type HubSettings = Partial<Omit<HubConfig, 'federation'>> & { dataDir: string; federation?: z.input<typeof federationSettings> };

const INTEGER_RANGES: Record<keyof Limits | 'port', [number, number]> = {
  port: [0, 65535],
  maxConnections: [1, 1_000_000],
  heartbeatIntervalMs: [100, 3_600_000],
  idleTimeoutMs: [100, 86_400_000],
  maxFrameBytes: [1024, 256 * 1024 * 1024],
  helloTimeoutMs: [100, 600_000],
  maxBufferedBytes: [64 * 1024, 4 * 1024 * 1024 * 1024],
  requestTimeoutMs: [1000, 600_000],
  maxWaitSeconds: [0, 3600],
  maxStreamBytes: [1024, 1024 * 1024 * 1024],
  taskLeaseMs: [100, 86_400_000],
  taskTimeoutMs: [100, 7 * 86_400_000],
  maxTasksInFlight: [1, 10_000],
  taskRetryBaseMs: [1, 3_600_000],
  taskRetryMaxMs: [1, 86_400_000],
  callbackRetries: [0, 20],
  callbackBaseDelayMs: [1, 3_600_000],
  callbackTimeoutMs: [100, 600_000],
  offlineQueueCapacity: [1, 1_000_000],
  loopMaxHops: [1, 1_000_000],
  loopWindowMs: [100, 3_600_000],
  loopMaxMessages: [0, 10_000],
  loopReactionMs: [1, 3_600_000],
  approvalTimeoutMs: [1000, 3_600_000],
  retentionDays: [1, 36_500],
  rollupRetentionDays: [1, 36_500],
  backupKeepDays: [1, 36_500],
};

/** A setting's one message, whatever is wrong with its value: the rule in words and the value it got. */
const saying = (message: (got: string) => string) => (issue: { input?: unknown }) => message(JSON.stringify(issue.input));

function wholeNumber(key: string, [min, max]: [number, number]) {
  const error = saying((got) => `${key} must be a whole number from ${min} to ${max} (got ${got})`);
  return z.int({ error }).min(min, { error }).max(max, { error });
}

function listOfStrings(key: string) {
  const error = `${key} must be a list of strings`;
  return z.array(z.string({ error }), { error }).default([]);
}

const hostError = 'host must be an address such as 127.0.0.1';
const dataDirError = 'dataDir must be a folder path';
const backupFolderError = saying((got) => `backupFolder must be an absolute folder path, or null for the data folder's backups/ (got ${got})`);

/** Every setting, in the order their problems are listed. */
const SETTINGS = {
  port: wholeNumber('port', INTEGER_RANGES.port).default(DEFAULT_PORT),
  ...(Object.fromEntries(
    Object.entries(DEFAULT_LIMITS).map(([key, value]) => [key, wholeNumber(key, INTEGER_RANGES[key as keyof Limits]).default(value)]),
  ) as Record<keyof Limits, z.ZodDefault<z.ZodInt>>),
  host: z
    .string({ error: hostError })
    .refine((host) => host.trim() !== '', { error: hostError })
    .default(DEFAULT_HOST),
  dataDir: z.string({ error: dataDirError }).refine((dir) => dir.trim() !== '', { error: dataDirError }),
  allowedOrigins: listOfStrings('allowedOrigins'),
  allowedHosts: listOfStrings('allowedHosts'),
  allowedCallbackHosts: listOfStrings('allowedCallbackHosts'),
  backupEvery: z
    .enum(BACKUP_INTERVALS, { error: saying((got) => `backupEvery must be one of ${BACKUP_INTERVALS.join(', ')} (got ${got})`) })
    .default(DEFAULT_BACKUP_EVERY),
  backupFolder: z.string({ error: backupFolderError }).refine(isAbsolute, { error: backupFolderError }).nullable().default(null),
  approveNewAgents: z.boolean({ error: saying((got) => `approveNewAgents must be true or false (got ${got})`) }).default(false),
  portFallback: z.boolean({ error: saying((got) => `portFallback must be true or false (got ${got})`) }).optional(),
  federation: federationSettings.exactOptional(),
} satisfies Record<string, z.ZodType>;

const KNOWN_KEYS = Object.keys(SETTINGS).sort();
const FEDERATION_KEYS = Object.keys(federationSettings.shape).sort();

/** Settings checked together: only once each is valid on its own, and only while nothing else is wrong. */
const onlyIfValid = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };

const settingsSchema = z
  .strictObject(SETTINGS)
  .refine((config) => config.idleTimeoutMs > config.heartbeatIntervalMs, {
    ...onlyIfValid,
    path: ['idleTimeoutMs'],
    error: (issue) => {
      const config = issue.input as Limits;
      return `idleTimeoutMs (${config.idleTimeoutMs}) must be longer than heartbeatIntervalMs (${config.heartbeatIntervalMs}), or live connections would be closed`;
    },
  })
  .refine((config) => config.rollupRetentionDays >= config.retentionDays, {
    ...onlyIfValid,
    path: ['rollupRetentionDays'],
    error: (issue) => {
      const config = issue.input as Limits;
      return `rollupRetentionDays (${config.rollupRetentionDays}) must be at least retentionDays (${config.retentionDays}): rollups are what is left of older interactions`;
    },
  });

/** Merges settings over the defaults and validates them; throws ConfigError listing every problem. */
export function resolveConfig(settings: HubSettings): HubConfig {
  const parsed = settingsSchema.safeParse(settings);
  if (!parsed.success) throw configError(parsed.error.issues);
  return { ...parsed.data, portFallback: parsed.data.portFallback ?? settings.port === undefined };
}

/** One problem per setting and message, a misspelt setting's first, each filed under its setting for the settings form. */
function configError(issues: readonly z.core.$ZodIssue[]): ConfigError {
  const unknown: [string, string][] = [];
  const invalid: [string, string][] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys' && issue.path[0] === 'federation') {
      for (const key of issue.keys) unknown.push(['federation', `unknown setting "federation.${key}" (known: ${FEDERATION_KEYS.join(', ')})`]);
    } else if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) unknown.push([key, `unknown setting "${key}" (known: ${KNOWN_KEYS.join(', ')})`]);
    } else if (!invalid.some(([key, message]) => key === issue.path[0] && message === issue.message)) {
      invalid.push([String(issue.path[0]), issue.message]);
    }
  }
  const problems = [...unknown, ...invalid];
  return new ConfigError(
    problems.map(([, message]) => message),
    problems.map(([key]) => key),
  );
}
