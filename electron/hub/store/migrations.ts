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
];

export const SCHEMA_VERSION = MIGRATIONS.length;
