/** Hub configuration: defaults, and validation that lists every problem at once. */
import { isAbsolute } from 'node:path';
import { ConfigError } from '../common/config-error.js';
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
}

export type HubSettings = Partial<HubConfig> & { dataDir: string };

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
  retentionDays: [1, 36_500],
  rollupRetentionDays: [1, 36_500],
  backupKeepDays: [1, 36_500],
};

const KNOWN_KEYS = new Set<string>([
  'host',
  'port',
  'portFallback',
  'dataDir',
  'allowedOrigins',
  'allowedHosts',
  'allowedCallbackHosts',
  'backupEvery',
  'backupFolder',
  ...Object.keys(DEFAULT_LIMITS),
]);

/** Merges settings over the defaults and validates them; throws ConfigError listing every problem. */
export function resolveConfig(settings: HubSettings): HubConfig {
  const config: HubConfig = {
    host: DEFAULT_HOST,
    port: DEFAULT_PORT,
    portFallback: settings.port === undefined,
    allowedOrigins: [],
    allowedHosts: [],
    allowedCallbackHosts: [],
    backupEvery: DEFAULT_BACKUP_EVERY,
    backupFolder: null,
    ...DEFAULT_LIMITS,
    ...stripUndefined(settings),
    dataDir: settings.dataDir,
  };
  const problems: string[] = [];
  const keys: string[] = [];
  const problem = (key: string, message: string): void => {
    problems.push(message);
    keys.push(key);
  };
  for (const key of Object.keys(settings)) {
    if (!KNOWN_KEYS.has(key)) problem(key, `unknown setting "${key}" (known: ${[...KNOWN_KEYS].sort().join(', ')})`);
  }
  for (const [key, [min, max]] of Object.entries(INTEGER_RANGES) as [keyof typeof INTEGER_RANGES, [number, number]][]) {
    const value: unknown = config[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      problem(key, `${key} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)})`);
    }
  }
  if (typeof config.host !== 'string' || config.host.trim() === '') problem('host', 'host must be an address such as 127.0.0.1');
  if (typeof config.dataDir !== 'string' || config.dataDir.trim() === '') problem('dataDir', 'dataDir must be a folder path');
  for (const key of ['allowedOrigins', 'allowedHosts', 'allowedCallbackHosts'] as const) {
    if (!Array.isArray(config[key]) || config[key].some((v) => typeof v !== 'string')) {
      problem(key, `${key} must be a list of strings`);
    }
  }
  if (!BACKUP_INTERVALS.includes(config.backupEvery))
    problem('backupEvery', `backupEvery must be one of ${BACKUP_INTERVALS.join(', ')} (got ${JSON.stringify(config.backupEvery)})`);
  if (config.backupFolder !== null && (typeof config.backupFolder !== 'string' || !isAbsolute(config.backupFolder))) {
    problem(
      'backupFolder',
      `backupFolder must be an absolute folder path, or null for the data folder's backups/ (got ${JSON.stringify(config.backupFolder)})`,
    );
  }
  if (problems.length === 0 && config.idleTimeoutMs <= config.heartbeatIntervalMs) {
    problem(
      'idleTimeoutMs',
      `idleTimeoutMs (${config.idleTimeoutMs}) must be longer than heartbeatIntervalMs (${config.heartbeatIntervalMs}), or live connections would be closed`,
    );
  }
  if (problems.length === 0 && config.rollupRetentionDays < config.retentionDays) {
    problem(
      'rollupRetentionDays',
      `rollupRetentionDays (${config.rollupRetentionDays}) must be at least retentionDays (${config.retentionDays}): rollups are what is left of older interactions`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems, keys);
  return config;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
