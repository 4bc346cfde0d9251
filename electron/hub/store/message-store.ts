/** Messages: insert (with client_msg_id de-duplication) and reads by cursor, all through prepared statements. */
import type { StoredMessage } from '../../../shared/protocol/index.js';
import type { Db } from './database.js';

export interface NewMessage {
  conversation_id: string;
  sender: string;
  message_type: string;
  content: string;
  payload?: unknown;
  client_msg_id?: string | undefined;
  incomplete?: boolean;
  /** The seq of the message this one answers. */
  in_reply_to?: number | undefined;
  /** The task this message is about. */
  task_id?: string | undefined;
  /** Replies before this one in its chain (the loop breaker's count); 0 when it starts one. */
  hops?: number;
}

/** A message stored on another hub, as federation brings it. */
export interface RemoteMessage {
  origin_hub: string;
  /** Its seq on the hub it was sent on. */
  origin_seq: number;
  conversation_id: string;
  sender: string;
  message_type: string;
  content: string;
  payload?: unknown;
  /** When the hub it was sent on stored it, in ms. */
  created_at: number;
}

export interface InsertResult {
  message: StoredMessage;
  /** False when the same sender already stored this client_msg_id; `message` is then the first one. */
  created: boolean;
}

export interface MessageRow {
  seq: number;
  conversation_id: string;
  sender: string;
  message_type: string;
  content: string;
  payload: string | null;
  client_msg_id: string | null;
  incomplete: number;
  created_at: number;
  hops: number;
  in_reply_to: number | null;
  task_id: string | null;
  origin_hub: string | null;
}

/** What the loop breaker needs to know of a replied-to message. */
export interface ParentRow {
  conversation_id: string;
  sender: string;
  hops: number;
}

/**
 * `created_at` as ISO text. The messages of one batch mostly share a millisecond and so one string; at low
 * rates each message has its own millisecond but shares its second, so only the milliseconds are made anew.
 */
let lastMs = Number.NaN;
let lastIso = '';
let secondStart = Number.NaN;
let secondPrefix = '';
export function isoTime(ms: number): string {
  if (ms === lastMs) return lastIso;
  const inSecond = ms - secondStart;
  if (inSecond >= 0 && inSecond < 1000) {
    lastIso = `${secondPrefix}${String(inSecond).padStart(3, '0')}Z`;
  } else {
    lastIso = new Date(ms).toISOString();
    secondStart = ms - (((ms % 1000) + 1000) % 1000);
    secondPrefix = lastIso.slice(0, -4);
  }
  lastMs = ms;
  return lastIso;
}

export function rowToMessage(row: MessageRow): StoredMessage {
  const message: StoredMessage = {
    id: `m_${row.seq}`,
    seq: row.seq,
    conversation_id: row.conversation_id,
    sender: row.sender,
    message_type: row.message_type,
    content: row.content,
    created_at: isoTime(row.created_at),
  };
  if (row.payload !== null) message.payload = JSON.parse(row.payload);
  if (row.client_msg_id !== null) message.client_msg_id = row.client_msg_id;
  if (row.incomplete === 1) message.incomplete = true;
  if (row.in_reply_to !== null) message.in_reply_to = row.in_reply_to;
  if (row.task_id !== null) message.task_id = row.task_id;
  if (row.hops !== 0) message.hops = row.hops;
  if (row.origin_hub !== null) message.origin_hub = row.origin_hub;
  return message;
}

export type MessageStore = ReturnType<typeof createMessageStore>;

/**
 * @param onStored told of each message stored, so the search index (store/search-index.ts) picks it up
 *   after the commit, in a batch, instead of on the path to the ack.
 */
export function createMessageStore(db: Db, onStored: () => void = () => {}) {
  const insert = db.prepare<[string, string, string, string, string | null, string | null, number, number, number, number | null, string | null]>(
    `INSERT OR IGNORE INTO messages (conversation_id, sender, message_type, content, payload, client_msg_id, incomplete, created_at, hops, in_reply_to, task_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // No client_msg_id: it is unique per sender name, and a remote sender may share a local agent's name.
  const insertRemote = db.prepare<[string, string, string, string, string | null, number, string, number]>(
    `INSERT OR IGNORE INTO messages (conversation_id, sender, message_type, content, payload, created_at, origin_hub, origin_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const byOrigin = db.prepare<[string, number], MessageRow>('SELECT * FROM messages WHERE origin_hub = ? AND origin_seq = ?');
  const parent = db.prepare<[number], ParentRow>('SELECT conversation_id, sender, hops FROM messages WHERE seq = ?');
  const maxHops = db.prepare<[string], { hops: number | null }>('SELECT max(hops) AS hops FROM messages WHERE conversation_id = ?');
  const byClientId = db.prepare<[string, string], MessageRow>('SELECT * FROM messages WHERE sender = ? AND client_msg_id = ?');
  const bySeq = db.prepare<[number], MessageRow>('SELECT * FROM messages WHERE seq = ?');
  const afterInConversation = db.prepare<[string, number, number], MessageRow>(
    'SELECT * FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT +?',
  );
  const afterInConversations = db.prepare<[number, string, number], MessageRow>(
    'SELECT * FROM messages WHERE seq > ? AND conversation_id IN (SELECT value FROM json_each(?)) ORDER BY seq LIMIT +?',
  );
  const afterAll = db.prepare<[number, number], MessageRow>('SELECT * FROM messages WHERE seq > ? ORDER BY seq LIMIT +?');
  const beforeInConversation = db.prepare<[string, number, number], MessageRow>(
    'SELECT * FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT +?',
  );
  const lastSeq = db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM messages');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM messages');

  return {
    /**
     * Inserts one message; must run inside the caller's transaction so the ack waits for the commit.
     * The search index follows after the commit (store/search-index.ts).
     */
    insert(input: NewMessage, now: number): InsertResult {
      const payload = input.payload === undefined ? null : JSON.stringify(input.payload);
      const result = insert.run(
        input.conversation_id,
        input.sender,
        input.message_type,
        input.content,
        payload,
        input.client_msg_id ?? null,
        input.incomplete === true ? 1 : 0,
        now,
        input.hops ?? 0,
        input.in_reply_to ?? null,
        input.task_id ?? null,
      );
      if (result.changes === 0 && input.client_msg_id !== undefined) {
        const first = byClientId.get(input.sender, input.client_msg_id);
        if (first !== undefined) return { message: rowToMessage(first), created: false };
      }
      const seq = Number(result.lastInsertRowid);
      onStored();
      const message: StoredMessage = {
        id: `m_${seq}`,
        seq,
        conversation_id: input.conversation_id,
        sender: input.sender,
        message_type: input.message_type,
        content: input.content,
        created_at: isoTime(now),
      };
      if (input.payload !== undefined) message.payload = input.payload;
      if (input.client_msg_id !== undefined) message.client_msg_id = input.client_msg_id;
      if (input.incomplete === true) message.incomplete = true;
      if (input.in_reply_to !== undefined) message.in_reply_to = input.in_reply_to;
      if (input.task_id !== undefined) message.task_id = input.task_id;
      if (input.hops !== undefined && input.hops !== 0) message.hops = input.hops;
      return { message, created: true };
    },
    /**
     * Inserts a message from another hub once: delivered again (JetStream redelivers until acked), it is
     * found by its origin and not stored twice. Inside the caller's transaction, like `insert`.
     */
    insertRemote(input: RemoteMessage): InsertResult {
      const payload = input.payload === undefined ? null : JSON.stringify(input.payload);
      const result = insertRemote.run(
        input.conversation_id,
        input.sender,
        input.message_type,
        input.content,
        payload,
        input.created_at,
        input.origin_hub,
        input.origin_seq,
      );
      if (result.changes === 0) {
        const first = byOrigin.get(input.origin_hub, input.origin_seq);
        if (first !== undefined) return { message: rowToMessage(first), created: false };
      }
      onStored();
      const row = bySeq.get(Number(result.lastInsertRowid));
      if (row === undefined) throw new Error('a stored remote message could not be read back');
      return { message: rowToMessage(row), created: true };
    },
    /** The conversation, sender and hops of a stored message (an `in_reply_to` target). */
    parent(seq: number): ParentRow | undefined {
      return parent.get(seq);
    },
    /** The longest reply chain stored in a conversation, in hops. */
    maxHops(conversationId: string): number {
      return maxHops.get(conversationId)?.hops ?? 0;
    },
    get(seq: number): StoredMessage | undefined {
      const row = bySeq.get(seq);
      return row === undefined ? undefined : rowToMessage(row);
    },
    /** Messages after `since` in the given conversations (or all), oldest first. */
    after(conversations: readonly string[] | '*', since: number, limit: number): StoredMessage[] {
      let rows: MessageRow[];
      if (conversations === '*') rows = afterAll.all(since, limit);
      else if (conversations.length === 1) rows = afterInConversation.all(conversations[0] ?? '', since, limit);
      else rows = afterInConversations.all(since, JSON.stringify(conversations), limit);
      return rows.map(rowToMessage);
    },
    /** The `limit` messages before `before` in one conversation, oldest first. */
    before(conversationId: string, before: number, limit: number): StoredMessage[] {
      return beforeInConversation.all(conversationId, before, limit).reverse().map(rowToMessage);
    },
    lastSeq(): number {
      return lastSeq.get()?.seq ?? 0;
    },
    count(): number {
      return count.get()?.n ?? 0;
    },
  };
}
