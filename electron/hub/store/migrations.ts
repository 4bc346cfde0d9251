/** Versioned schema migrations; PRAGMA user_version records how far a database has come. */

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    title TEXT,
    kind TEXT NOT NULL DEFAULT 'channel' CHECK (kind IN ('channel', 'direct')),
    members TEXT,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  -- seq is the rowid: one cursor for replay, paging and the GUI.
  CREATE TABLE messages (
    seq INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    sender TEXT NOT NULL,
    message_type TEXT NOT NULL,
    content TEXT NOT NULL,
    payload TEXT,
    client_msg_id TEXT,
    incomplete INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX messages_by_conversation ON messages (conversation_id, seq);
  CREATE UNIQUE INDEX messages_client_msg_id ON messages (sender, client_msg_id) WHERE client_msg_id IS NOT NULL;
  CREATE TABLE agents (
    id TEXT PRIMARY KEY,
    display_name TEXT,
    kind TEXT,
    capabilities TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    last_seen INTEGER
  );
  CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    agent TEXT,
    admin INTEGER NOT NULL DEFAULT 0,
    label TEXT,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER
  );
  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    ts INTEGER NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT,
    subject TEXT,
    detail TEXT
  );
  CREATE INDEX events_by_ts ON events (ts);
  `,
  `
  CREATE TABLE tasks (
    task_id TEXT PRIMARY KEY,
    from_agent TEXT NOT NULL,
    to_target TEXT NOT NULL,
    type TEXT NOT NULL DEFAULT 'task',
    cmd TEXT NOT NULL,
    payload TEXT,
    text TEXT,
    priority INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL,
    assigned_to TEXT,
    lease_until INTEGER,
    run_at INTEGER NOT NULL,
    timeout_ms INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    offers INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    idempotency_key TEXT,
    callback_url TEXT,
    result TEXT,
    error TEXT,
    question TEXT,
    progress TEXT,
    retry_of TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    finished_at INTEGER
  );
  CREATE UNIQUE INDEX tasks_idempotency ON tasks (from_agent, idempotency_key) WHERE idempotency_key IS NOT NULL;
  -- The dispatcher's queue: due submitted tasks, highest priority first.
  CREATE INDEX tasks_queue ON tasks (state, priority DESC, run_at) WHERE assigned_to IS NULL;
  CREATE INDEX tasks_leases ON tasks (lease_until) WHERE lease_until IS NOT NULL;
  CREATE INDEX tasks_by_state ON tasks (state, updated_at);
  CREATE TABLE task_attempts (
    task_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    agent TEXT NOT NULL,
    assigned_at INTEGER NOT NULL,
    accepted_at INTEGER,
    ended_at INTEGER,
    outcome TEXT NOT NULL,
    detail TEXT,
    PRIMARY KEY (task_id, attempt)
  );
  -- HTTP callbacks still to deliver: written with the state change, so none is lost in a crash.
  CREATE TABLE callbacks (
    id INTEGER PRIMARY KEY,
    task_id TEXT NOT NULL,
    url TEXT NOT NULL,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    last_error TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX callbacks_due ON callbacks (next_at) WHERE state = 'pending';
  `,
  `
  -- The offline queue: direct messages (by seq) waiting for an agent to acknowledge them.
  CREATE TABLE inbox (
    agent TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (agent, seq)
  ) WITHOUT ROWID;
  -- What an agent's full queue dropped since it last acknowledged a drop receipt.
  CREATE TABLE inbox_gaps (
    agent TEXT PRIMARY KEY,
    dropped INTEGER NOT NULL,
    from_seq INTEGER NOT NULL,
    to_seq INTEGER NOT NULL
  );
  `,
  `
  -- Interactions agents report (seed 001's metrics frame), raw; rollups and alerts are built from them.
  CREATE TABLE interactions (
    id INTEGER PRIMARY KEY,
    agent TEXT NOT NULL,
    session_id TEXT,
    ts INTEGER NOT NULL,
    user_input TEXT,
    intent TEXT,
    tools_used TEXT NOT NULL DEFAULT '[]',
    response_time_ms REAL,
    success INTEGER NOT NULL,
    error_type TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX interactions_by_agent ON interactions (agent, ts);
  CREATE INDEX interactions_by_ts ON interactions (ts);
  `,
  `
  -- The loop breaker: reply chains (hops along in_reply_to) and conversations paused until a person resumes them.
  ALTER TABLE messages ADD COLUMN hops INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE messages ADD COLUMN in_reply_to INTEGER;
  ALTER TABLE conversations ADD COLUMN paused_at INTEGER;
  ALTER TABLE conversations ADD COLUMN paused_reason TEXT;
  -- Hops below this were spent before the last resume; the hop budget counts from here.
  ALTER TABLE conversations ADD COLUMN hop_base INTEGER NOT NULL DEFAULT 0;
  `,
  `
  -- Interactions per agent and minute (minutes since the epoch, UTC), kept longer than the raw rows.
  CREATE TABLE interaction_rollups (
    agent TEXT NOT NULL,
    minute INTEGER NOT NULL,
    count INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    sum_ms REAL NOT NULL,
    max_ms REAL NOT NULL,
    p50_ms REAL NOT NULL,
    p95_ms REAL NOT NULL,
    tools TEXT NOT NULL DEFAULT '{}',
    error_types TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (agent, minute)
  ) WITHOUT ROWID;
  CREATE INDEX interaction_rollups_by_minute ON interaction_rollups (minute);
  -- Every interaction with an id up to this one is in the rollups; a start after a crash redoes the minutes of later ones.
  CREATE TABLE rollup_progress (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_interaction INTEGER NOT NULL
  );
  INSERT INTO rollup_progress (id, last_interaction) VALUES (1, 0);
  `,
  `
  -- Alerts raised by the alert rules (seed 001's thresholds, delivery health); one unresolved per rule and subject.
  CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    rule TEXT NOT NULL,
    subject TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('warning', 'critical')),
    state TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
    message TEXT NOT NULL,
    value REAL,
    threshold REAL,
    occurrences INTEGER NOT NULL DEFAULT 1,
    first_at INTEGER NOT NULL,
    last_at INTEGER NOT NULL,
    resolved_at INTEGER,
    acknowledged_at INTEGER,
    acknowledged_by TEXT
  );
  CREATE INDEX alerts_by_state ON alerts (state, id);
  CREATE INDEX alerts_by_rule ON alerts (rule, subject, first_at);
  -- Settings changed at run time, one JSON object per section ('alerts': the alert rules).
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  -- Alert webhooks still to deliver (an outbox like callbacks): retried with backoff, resumed after a restart.
  CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    alert_id INTEGER NOT NULL,
    url TEXT NOT NULL,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    last_error TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE state = 'pending';
  `,
  `
  -- Full-text search over messages: an external-content FTS5 index (the text is not stored twice). The
  -- message store indexes each message it inserts, in the same transaction (an insert trigger costs far
  -- more: see message-store.ts); triggers keep deletes and edits in step, so nothing leaves a stale hit.
  -- Rows already stored are indexed here.
  CREATE VIRTUAL TABLE messages_fts USING fts5(
    content, payload,
    content = 'messages', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
  );
  CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content, payload) VALUES ('delete', old.seq, old.content, old.payload);
  END;
  -- Messages are not edited today; this keeps the index right if that ever changes.
  CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, payload ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content, payload) VALUES ('delete', old.seq, old.content, old.payload);
    INSERT INTO messages_fts (rowid, content, payload) VALUES (new.seq, new.content, new.payload);
  END;
  INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
  `,
  `
  -- Browser sessions are token rows too (hashed, listed, revocable): kind tells them apart, and they expire.
  ALTER TABLE tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'token' CHECK (kind IN ('token', 'session'));
  ALTER TABLE tokens ADD COLUMN expires_at INTEGER;
  `,
  `
  -- Messages and tasks per minute for the dashboard's rate charts: range scans by time.
  CREATE INDEX messages_by_time ON messages (created_at);
  CREATE INDEX tasks_by_created ON tasks (created_at);
  `,
  `
  -- Search indexing leaves the path to the ack: messages are indexed in batches after their commit
  -- (store/search-index.ts). search_mark is the highest seq indexed; every message above it is still to do,
  -- so a crash between a message's commit and its indexing loses nothing. The triggers touch the index only
  -- for messages already in it: an external-content FTS5 index must never be told to delete what it lacks.
  CREATE TABLE search_mark (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
  INSERT INTO search_mark (id, seq) SELECT 1, coalesce(max(seq), 0) FROM messages;
  -- Messages per minute for the rate charts, counted by the same runs, up to the same mark; the index on
  -- messages (created_at) they replace cost every message's commit one more b-tree page.
  CREATE TABLE message_minutes (minute INTEGER PRIMARY KEY, n INTEGER NOT NULL);
  INSERT INTO message_minutes (minute, n) SELECT created_at / 60000 * 60000 AS minute, count(*) FROM messages WHERE true GROUP BY minute;
  DROP INDEX messages_by_time;
  DROP TRIGGER messages_fts_delete;
  DROP TRIGGER messages_fts_update;
  CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.seq <= (SELECT seq FROM search_mark) BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content, payload) VALUES ('delete', old.seq, old.content, old.payload);
    UPDATE message_minutes SET n = n - 1 WHERE minute = old.created_at / 60000 * 60000;
  END;
  CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, payload ON messages WHEN old.seq <= (SELECT seq FROM search_mark) BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content, payload) VALUES ('delete', old.seq, old.content, old.payload);
    INSERT INTO messages_fts (rowid, content, payload) VALUES (new.seq, new.content, new.payload);
  END;
  `,
  `
  -- Federation (federation/): a message from another hub keeps the hub it came from and its seq there;
  -- the unique pair stores each once, however often JetStream delivers it.
  ALTER TABLE messages ADD COLUMN origin_hub TEXT;
  ALTER TABLE messages ADD COLUMN origin_seq INTEGER;
  CREATE UNIQUE INDEX messages_origin ON messages (origin_hub, origin_seq) WHERE origin_hub IS NOT NULL;
  -- The outbox is a cursor, not a copy: the highest local seq published to JetStream (or passed over). Its
  -- row is made when federation is first switched on, at the last message then: what came before stays home.
  CREATE TABLE federation_cursor (id INTEGER PRIMARY KEY CHECK (id = 1), published_seq INTEGER NOT NULL);
  `,
  `
  -- Lineage (read-models/task-lineage.ts): the message a task came from and the task a message is about, and
  -- the lookups that gather a task's story. Partial indexes: a row without the link costs the index nothing,
  -- so the message insert (the hub's main cost) writes no extra b-tree page unless it carries one.
  ALTER TABLE tasks ADD COLUMN in_reply_to INTEGER;
  ALTER TABLE messages ADD COLUMN task_id TEXT;
  CREATE INDEX tasks_by_origin ON tasks (in_reply_to) WHERE in_reply_to IS NOT NULL;
  CREATE INDEX tasks_by_retry_of ON tasks (retry_of) WHERE retry_of IS NOT NULL;
  CREATE INDEX messages_by_task ON messages (task_id) WHERE task_id IS NOT NULL;
  CREATE INDEX messages_by_reply ON messages (in_reply_to) WHERE in_reply_to IS NOT NULL;
  CREATE INDEX events_by_subject ON events (subject, id) WHERE subject IS NOT NULL;
  `,
  `
  -- Approval of new agents (approval/agent-approvals.ts): the person's decision per agent name. Every agent
  -- that connected before is approved, so switching approveNewAgents on never locks out one that works.
  CREATE TABLE agent_approvals (
    agent TEXT PRIMARY KEY,
    decision TEXT NOT NULL CHECK (decision IN ('approved', 'denied')),
    decided_by TEXT NOT NULL,
    decided_at INTEGER NOT NULL
  );
  INSERT INTO agent_approvals (agent, decision, decided_by, decided_at)
    SELECT id, 'approved', 'known before approval', coalesce(last_seen, created_at) FROM agents;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
