/**
 * Every setting the form shows: where it is saved (the hub's settings.json, applied at the next start, or
 * the alert settings, applied at once), its label, unit, range and help. The ranges mirror the hub's
 * checks (electron/hub/config.ts, electron/hub/alerts/alert-config.ts) so most mistakes are named before
 * saving; the hub checks again and its word is final.
 */
import { BACKUP_INTERVALS, DEFAULT_ALERT_CONFIG, DEFAULT_BACKUP_EVERY, DEFAULT_HOST, DEFAULT_LIMITS, DEFAULT_PORT } from '../../../../shared/index.js';

export type SettingSource = 'hub' | 'alerts';
export type SettingKind = 'integer' | 'number' | 'text' | 'list' | 'boolean' | 'url' | 'choice';
export type SettingUnit = 'ms' | 'bytes' | 's' | 'min' | 'days' | '%' | 'count';

export interface SettingField {
  key: string;
  source: SettingSource;
  label: string;
  kind: SettingKind;
  unit?: SettingUnit;
  min?: number;
  max?: number;
  /** `min` itself is not allowed (a value must be greater). */
  minExclusive?: boolean;
  help: string;
  /** The allowed values of a `choice`. */
  choices?: readonly string[];
  /** What leaving the setting empty means, when that is not simply "none" (e.g. a folder chosen by the hub). */
  emptyMeans?: string;
  /** Shown as the placeholder: what applies when the setting is left out. */
  defaultValue: number | string | boolean | string[] | null;
}

export interface SettingGroup {
  id: string;
  title: string;
  note?: string;
  fields: SettingField[];
}

const DAY_MS = 86_400_000;

function hubInt(key: keyof typeof DEFAULT_LIMITS, label: string, unit: SettingUnit, min: number, max: number, help: string): SettingField {
  return { key, source: 'hub', label, kind: 'integer', unit, min, max, help, defaultValue: DEFAULT_LIMITS[key] };
}

function alertNumber(
  key: keyof typeof DEFAULT_ALERT_CONFIG,
  label: string,
  kind: 'integer' | 'number',
  unit: SettingUnit,
  range: [number, number],
  help: string,
  minExclusive = false,
): SettingField {
  const value = DEFAULT_ALERT_CONFIG[key];
  return { key, source: 'alerts', label, kind, unit, min: range[0], max: range[1], minExclusive, help, defaultValue: typeof value === 'number' ? value : null };
}

export const SETTING_GROUPS: readonly SettingGroup[] = [
  {
    id: 'network',
    title: 'Network',
    note: 'Saved to the settings file; the hub uses them from its next start.',
    fields: [
      {
        key: 'port',
        source: 'hub',
        label: 'Port',
        kind: 'integer',
        min: 0,
        max: 65_535,
        help: 'TCP port for agents, the API and this dashboard. 0 picks a free port.',
        defaultValue: DEFAULT_PORT,
      },
      {
        key: 'host',
        source: 'hub',
        label: 'Bind address',
        kind: 'text',
        help: 'The address the hub listens on. 127.0.0.1 keeps it to this machine.',
        defaultValue: DEFAULT_HOST,
      },
      {
        key: 'portFallback',
        source: 'hub',
        label: 'When taken, try the next one',
        kind: 'boolean',
        help: 'When the port is in use, listen on the next free one instead of failing to start.',
        defaultValue: true,
      },
      {
        key: 'allowedOrigins',
        source: 'hub',
        label: 'Extra allowed origins',
        kind: 'list',
        help: 'Browser origins besides the hub’s own that may call the API, comma separated (e.g. http://localhost:5173).',
        defaultValue: [],
      },
      {
        key: 'allowedHosts',
        source: 'hub',
        label: 'Extra allowed host names',
        kind: 'list',
        help: 'Host header values accepted besides the bound address, localhost and 127.0.0.1, comma separated.',
        defaultValue: [],
      },
    ],
  },
  {
    id: 'approval',
    title: 'New agents',
    note: 'Saved to the settings file. Asking applies at once; the wait from the next start.',
    fields: [
      {
        key: 'approveNewAgents',
        source: 'hub',
        label: 'Ask before a new agent connects',
        kind: 'boolean',
        help: 'The first connection of an agent name the hub does not know waits until you allow it (tray notification and a banner here). Agents that connected before are never asked.',
        defaultValue: false,
      },
      hubInt('approvalTimeoutMs', 'Approval wait', 'ms', 1000, 3_600_000, 'How long a new agent’s connection waits for you before it is refused.'),
    ],
  },
  {
    id: 'limits',
    title: 'Limits',
    note: 'Saved to the settings file; the hub uses them from its next start.',
    fields: [
      hubInt('maxConnections', 'Max connections', 'count', 1, 1_000_000, 'Open WebSocket connections accepted at once.'),
      hubInt('maxFrameBytes', 'Max frame size', 'bytes', 1024, 256 * 1024 * 1024, 'Largest accepted WebSocket frame or HTTP body.'),
      hubInt('maxStreamBytes', 'Max streamed message', 'bytes', 1024, 1024 * 1024 * 1024, 'Largest message an agent may stream chunk by chunk.'),
      hubInt(
        'maxBufferedBytes',
        'Slow consumer limit',
        'bytes',
        64 * 1024,
        4 * 1024 * 1024 * 1024,
        'Bytes queued for one client before it is cut off as too slow.',
      ),
      hubInt(
        'offlineQueueCapacity',
        'Offline queue capacity',
        'count',
        1,
        1_000_000,
        'Direct messages kept per offline agent; when full, the oldest is dropped.',
      ),
      hubInt('heartbeatIntervalMs', 'Heartbeat interval', 'ms', 100, 3_600_000, 'How often the hub pings each connection.'),
      hubInt('idleTimeoutMs', 'Idle timeout', 'ms', 100, DAY_MS, 'A connection silent this long is closed. Must be longer than the heartbeat interval.'),
      hubInt('helloTimeoutMs', 'Hello timeout', 'ms', 100, 600_000, 'Time a connection without a token on the upgrade has to send hello.'),
      hubInt('requestTimeoutMs', 'Request timeout', 'ms', 1000, 600_000, 'Time an HTTP request has to arrive whole, headers and body; a slower one is closed.'),
      hubInt('maxWaitSeconds', 'Longest long-poll', 's', 0, 3600, 'Longest wait an HTTP read may ask for.'),
    ],
  },
  {
    id: 'tasks',
    title: 'Tasks and callbacks',
    note: 'Saved to the settings file; the hub uses them from its next start.',
    fields: [
      hubInt('maxTasksInFlight', 'Max tasks in flight', 'count', 1, 10_000, 'Tasks one agent may hold (offered or working) at once.'),
      hubInt('taskLeaseMs', 'Task offer lease', 'ms', 100, DAY_MS, 'Time an agent has to accept an offered task before it goes to another.'),
      hubInt('taskTimeoutMs', 'Task timeout', 'ms', 100, 7 * DAY_MS, 'Default time to finish an accepted task; each progress report renews it.'),
      hubInt('taskRetryBaseMs', 'First retry delay', 'ms', 1, 3_600_000, 'Delay before a task’s second attempt; doubles per attempt.'),
      hubInt('taskRetryMaxMs', 'Longest retry delay', 'ms', 1, DAY_MS, 'The retry delay stops growing here.'),
      hubInt('callbackRetries', 'Callback retries', 'count', 0, 20, 'Retries of a failed HTTP callback after the first try.'),
      hubInt('callbackBaseDelayMs', 'Callback retry delay', 'ms', 1, 3_600_000, 'Delay before the first callback retry; doubles for each next one.'),
      hubInt('callbackTimeoutMs', 'Callback timeout', 'ms', 100, 600_000, 'Time one callback request may take.'),
      {
        key: 'allowedCallbackHosts',
        source: 'hub',
        label: 'Callback hosts allowed',
        kind: 'list',
        help: 'Private-network, link-local or metadata hosts (and loopback, when the hub listens beyond it) that callbacks and the alert webhook may reach anyway, comma separated.',
        defaultValue: [],
      },
    ],
  },
  {
    id: 'retention',
    title: 'Retention',
    note: 'Saved to the settings file; the hub uses them from its next start.',
    fields: [
      hubInt(
        'retentionDays',
        'Raw data retention',
        'days',
        1,
        36_500,
        'Older raw interactions and audit events are deleted hourly. Messages and tasks are kept.',
      ),
      hubInt(
        'rollupRetentionDays',
        'Rollup retention',
        'days',
        1,
        36_500,
        'Per-minute interaction rollups behind the charts. At least as long as the raw interactions.',
      ),
    ],
  },
  {
    id: 'backups',
    title: 'Scheduled backups',
    note: 'Saved to the settings file; the hub uses them from its next start.',
    fields: [
      {
        key: 'backupEvery',
        source: 'hub',
        label: 'Back up',
        kind: 'choice',
        choices: BACKUP_INTERVALS,
        help: 'How often the running hub writes a consistent copy of the database (off, hourly, daily or weekly).',
        defaultValue: DEFAULT_BACKUP_EVERY,
      },
      {
        key: 'backupFolder',
        source: 'hub',
        label: 'Backup folder',
        kind: 'text',
        help: 'An absolute folder path; leave empty for backups/ in the data folder.',
        emptyMeans: 'backups/ in the data folder',
        defaultValue: null,
      },
      hubInt(
        'backupKeepDays',
        'Keep backups for',
        'days',
        1,
        36_500,
        'Scheduled backups older than this are deleted after each new one; other files in the folder are never touched.',
      ),
    ],
  },
  {
    id: 'loop',
    title: 'Loop breaker',
    note: 'Saved to the settings file; the hub uses them from its next start.',
    fields: [
      hubInt('loopMaxHops', 'Longest reply chain', 'count', 1, 1_000_000, 'A reply chain longer than this pauses its conversation.'),
      hubInt('loopWindowMs', 'Alternation window', 'ms', 100, 3_600_000, 'The window in which messages alternating between two agents are counted.'),
      hubInt(
        'loopMaxMessages',
        'Most alternating messages',
        'count',
        0,
        10_000,
        'More than this within the window pauses the conversation; 0 turns this rule off.',
      ),
      hubInt('loopReactionMs', 'Reaction time', 'ms', 1, 3_600_000, 'A message counts as answering the one before only if it follows it within this time.'),
    ],
  },
  {
    id: 'alerts',
    title: 'Alert thresholds',
    note: 'Applied at once when saved.',
    fields: [
      {
        key: 'enabled',
        source: 'alerts',
        label: 'Alerts enabled',
        kind: 'boolean',
        help: 'Off: the hub raises no new alerts.',
        defaultValue: DEFAULT_ALERT_CONFIG.enabled,
      },
      alertNumber(
        'error_rate_threshold',
        'Error rate threshold',
        'number',
        '%',
        [0, 100],
        'An agent’s failures over the window above this raise error_rate; twice this is critical.',
      ),
      alertNumber('error_rate_window_minutes', 'Error rate window', 'number', 'min', [0.1, 1440], 'The sliding window the error rate is measured over.'),
      alertNumber(
        'error_rate_min_samples',
        'Error rate minimum samples',
        'integer',
        'count',
        [1, 100_000],
        'Interactions the window must hold before the error rate can fire.',
      ),
      alertNumber('response_time_threshold', 'Response time threshold', 'number', 'ms', [0, DAY_MS], 'One interaction slower than this raises response_time.'),
      alertNumber(
        'consecutive_errors_threshold',
        'Consecutive errors',
        'integer',
        'count',
        [1, 10_000],
        'This many failures in a row raise consecutive_errors.',
      ),
      alertNumber(
        'queue_fill_threshold',
        'Offline queue fill',
        'number',
        '%',
        [0, 100],
        'An agent’s offline queue this full (of its capacity) raises queue_fill.',
        true,
      ),
      alertNumber('task_wait_minutes', 'Task waiting', 'number', 'min', [0, 7 * 1440], 'A due task offered to nobody for this long raises task_waiting.', true),
      alertNumber(
        'federation_down_seconds',
        'Federation link down',
        'number',
        's',
        [0, 7 * 86_400],
        'The link to NATS down this long raises federation (with federation on); twice this is critical.',
        true,
      ),
      alertNumber(
        'federation_lag_threshold',
        'Federation backlog',
        'integer',
        'count',
        [1, 100_000_000],
        'More messages than this waiting to be published or taken in, for the time below, raise federation.',
      ),
      alertNumber(
        'federation_lag_seconds',
        'Federation backlog time',
        'number',
        's',
        [0, 7 * 86_400],
        'How long the backlog may stay above the threshold before federation is raised.',
        true,
      ),
      alertNumber(
        'alert_cooldown_minutes',
        'Cooldown',
        'number',
        'min',
        [0, 7 * 1440],
        'After an alert for a rule and subject, no new one for them for this long.',
      ),
      {
        key: 'webhook_url',
        source: 'alerts',
        label: 'Webhook URL',
        kind: 'url',
        help: 'Every raised, escalated and resolved alert is POSTed here. Leave empty for none.',
        defaultValue: null,
      },
    ],
  },
];

export const ALL_FIELDS: readonly SettingField[] = SETTING_GROUPS.flatMap((group) => group.fields);
