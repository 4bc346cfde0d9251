/** Defaults shared by the hub, the SDK and the GUI, so every side agrees on the numbers. */

export const DEFAULT_PORT = 8765;
export const DEFAULT_HOST = '127.0.0.1';

export const DEFAULT_LIMITS = {
  /** Open WebSocket connections accepted at once (seed: 100). */
  maxConnections: 100,
  /** Interval between WebSocket pings, in ms (seed: 30 s). */
  heartbeatIntervalMs: 30_000,
  /** A connection from which nothing (frame or pong) arrived for this long is closed, in ms (seed: 300 s). */
  idleTimeoutMs: 300_000,
  /** Largest accepted frame or HTTP body, in bytes (seed: 1 MiB). */
  maxFrameBytes: 1024 * 1024,
  /** Time a connection without an upgrade token has to send `hello`, in ms. */
  helloTimeoutMs: 5_000,
  /** Bytes queued for one client before it counts as a slow consumer and is cut off. */
  maxBufferedBytes: 16 * 1024 * 1024,
  /**
   * Time an HTTP request has to arrive whole, headers and body, in ms; a slower one gets 408 and is
   * closed. The answer may take longer (long-polls, MCP streams).
   */
  requestTimeoutMs: 30_000,
  /** Longest accepted long-poll wait on HTTP reads, in seconds. */
  maxWaitSeconds: 30,
  /** Largest accumulated streamed message, in bytes. */
  maxStreamBytes: 16 * 1024 * 1024,
  /** Time a child has to accept an offered task, in ms. */
  taskLeaseMs: 30_000,
  /** Default time a child has to finish an accepted task (each progress report renews it), in ms. */
  taskTimeoutMs: 300_000,
  /** Tasks one agent may hold (offered or working) at once. */
  maxTasksInFlight: 4,
  /** Delay before a task's second attempt; doubles per attempt, with jitter, up to taskRetryMaxMs. */
  taskRetryBaseMs: 1_000,
  taskRetryMaxMs: 60_000,
  /** Retries of a failed HTTP callback after the first try (seed: 3), with exponential backoff. */
  callbackRetries: 3,
  /** Delay before the first callback retry; doubles for each next one, in ms. */
  callbackBaseDelayMs: 1_000,
  /** Time one callback request may take, in ms. */
  callbackTimeoutMs: 10_000,
  /**
   * Direct messages kept for one offline agent until it acknowledges them; when full, the oldest is
   * dropped (logged, recorded as an event, counted) and the agent gets a `gap` receipt on reconnect.
   */
  offlineQueueCapacity: 1000,
  /** The loop breaker: a reply chain (`in_reply_to`) longer than this many hops pauses its conversation. */
  loopMaxHops: 50,
  /** The loop breaker's sliding window for messages alternating between the same two agents, in ms. */
  loopWindowMs: 10_000,
  /** More alternating messages than this within the window pause the conversation; 0 turns the rate rule off. */
  loopMaxMessages: 60,
  /** The loop breaker counts a message as answering the one before only if it follows it within this many ms. */
  loopReactionMs: 2_000,
  /** How long a new agent name's connection waits for the person to allow it (approveNewAgents), in ms. */
  approvalTimeoutMs: 120_000,
  /** Raw interactions and audit events older than this many days are deleted by an hourly job (messages and tasks are kept). */
  retentionDays: 30,
  /** Interaction rollups (per agent and minute) are kept this many days; at least `retentionDays`. */
  rollupRetentionDays: 365,
  /** Scheduled backups are deleted once they are older than this many days. */
  backupKeepDays: 30,
} as const;

/** How often the hub backs its database up into the backup folder. */
export const BACKUP_INTERVALS = ['off', 'hourly', 'daily', 'weekly'] as const;
export type BackupInterval = (typeof BACKUP_INTERVALS)[number];
export const DEFAULT_BACKUP_EVERY: BackupInterval = 'daily';

export type Limits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: number };

/** Deepest nesting of arrays and objects accepted in a frame or body; deeper JSON is refused before it is parsed. */
export const MAX_JSON_DEPTH = 64;

/** Most messages one `send_batch` frame may carry. */
export const MAX_BATCH_MESSAGES = 1000;

/** Largest page returned by one replay, history or read call. */
export const MAX_PAGE = 1000;
