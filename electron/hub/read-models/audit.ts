/** The audit trail as one time-ordered list: the `events` table merged at read time with `messages` (docs/decisions.md). */
import type { Db } from '../store/database.js';
import type { EventRow } from '../store/event-store.js';
import { rowToMessage, type MessageRow } from '../store/message-store.js';
import type { AuditEntry } from '../../../shared/index.js';

/** A hub event; its detail fields are spread in (see `eventEntry` for when they are not). */
type EventEntry = Extract<AuditEntry, { source: 'event' }>;
/** A stored message: the fields of the message itself, with `ts` for its `created_at`. */
type MessageEntry = Extract<AuditEntry, { source: 'message' }>;

export interface Audit {
  /**
   * The newest `limit` entries, oldest first (newest last). With `reader`, messages of members-only
   * conversations that agent is not a member of are left out, as everywhere else.
   */
  latest(limit: number, options?: { reader?: string }): AuditEntry[];
  /**
   * Every entry stored when reading begins (at or after `since`, ms since the epoch), oldest first. Read a
   * page at a time, each page a short read of its own: no transaction or cursor stays open while the
   * caller waits for a slow client, so writes and WAL checkpoints go on during a long export.
   */
  export(options?: { since?: number }): Iterable<AuditEntry>;
}

/** Rows per page and table in an export: memory stays bounded whatever the size of the trail. */
const PAGE = 256;
const NONE = Number.MIN_SAFE_INTEGER;
const RESERVED = new Set(['ts', 'id', 'source', 'kind', 'actor', 'subject', 'detail']);

/**
 * An event with its detail spread in, so a poller reads `entry.state` rather than `entry.detail.state`.
 * A detail that is not a plain object, or has a key that would shadow a common field, is kept whole as
 * `detail` instead, so nothing is lost and no detail can pose as another kind or time.
 */
function eventEntry(row: EventRow): EventEntry {
  const entry: EventEntry = { ts: new Date(row.ts).toISOString(), id: `e_${row.id}`, source: 'event', kind: row.kind, actor: row.actor, subject: row.subject };
  if (row.detail === null) return entry;
  const detail: unknown = JSON.parse(row.detail);
  const spreadable = detail !== null && typeof detail === 'object' && !Array.isArray(detail) && !Object.keys(detail).some((key) => RESERVED.has(key));
  return spreadable ? Object.assign(entry, detail) : Object.assign(entry, { detail });
}

function messageEntry(row: MessageRow): MessageEntry {
  const { created_at, id, ...message } = rowToMessage(row);
  return { ts: created_at, id, source: 'message', kind: 'message', actor: message.sender, subject: message.conversation_id, ...message };
}

/**
 * Merges the two sorted row streams by time. Within one millisecond events come first, then each table
 * in its own order: the true order of an event and a message stored in the same millisecond is not kept.
 */
function* merge(events: Iterator<EventRow>, messages: Iterator<MessageRow>): Generator<AuditEntry> {
  let e = events.next();
  let m = messages.next();
  while (e.done !== true || m.done !== true) {
    if (e.done !== true && (m.done === true || e.value.ts <= m.value.created_at)) {
      yield eventEntry(e.value);
      e = events.next();
    } else if (m.done !== true) {
      yield messageEntry(m.value);
      m = messages.next();
    }
  }
}

/** Rows from `page(lastRowSoFar)`, one page after another, until a page comes back short. */
function* paged<Row>(page: (last: Row | undefined) => Row[]): Generator<Row> {
  let last: Row | undefined;
  for (;;) {
    const rows = page(last);
    yield* rows;
    if (rows.length < PAGE) return;
    last = rows.at(-1);
  }
}

export function createAudit(db: Db): Audit {
  const newestEvents = db.prepare<[number], EventRow>('SELECT * FROM events ORDER BY ts DESC, id DESC LIMIT +?');
  // seq and created_at grow together, so seq order is time order and the primary key serves every read.
  const newestMessages = db.prepare<[number], MessageRow>('SELECT * FROM messages ORDER BY seq DESC LIMIT +?');
  const newestReadable = db.prepare<[string, number], MessageRow>(
    `SELECT m.* FROM messages m
     WHERE NOT EXISTS (SELECT 1 FROM conversations c WHERE c.id = m.conversation_id AND c.members IS NOT NULL
                       AND NOT EXISTS (SELECT 1 FROM json_each(c.members) WHERE value = ?))
     ORDER BY m.seq DESC LIMIT +?`,
  );
  const eventsAfter = db.prepare<[number, number, number, number], EventRow>(
    'SELECT * FROM events WHERE (ts, id) > (?, ?) AND id <= ? ORDER BY ts, id LIMIT +?',
  );
  const messagesAfter = db.prepare<[number, number, number], MessageRow>('SELECT * FROM messages WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT +?');
  const lastEventId = db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM events');
  const seqRange = db.prepare<[], { low: number | null; high: number | null }>(
    'SELECT (SELECT min(seq) FROM messages) AS low, (SELECT max(seq) FROM messages) AS high',
  );
  const firstFrom = db.prepare<[number], { seq: number; created_at: number }>('SELECT seq, created_at FROM messages WHERE seq >= ? ORDER BY seq LIMIT 1');

  const marks = db.transaction(() => ({ lastEvent: lastEventId.get()?.id ?? NONE, ...(seqRange.get() ?? { low: null, high: null }) }));

  /** The lowest seq stored at or after `since`, by binary search over seq (there is no index on created_at). */
  const firstSeqSince = (since: number, low: number, high: number): number => {
    let lo = low;
    let hi = high + 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const row = firstFrom.get(mid);
      if (row === undefined || row.created_at >= since) hi = mid;
      else lo = row.seq + 1;
    }
    return lo;
  };

  return {
    latest(limit, options = {}) {
      if (limit <= 0) return [];
      const events = newestEvents.all(limit).reverse();
      const messages = (options.reader === undefined ? newestMessages.all(limit) : newestReadable.all(options.reader, limit)).reverse();
      return [...merge(events.values(), messages.values())].slice(-limit);
    },
    *export(options = {}) {
      const since = options.since;
      // The trail as it is now, read in one snapshot: entries added while a slow client reads do not keep the export going.
      const { lastEvent, low, high } = marks();
      const lastSeq = high ?? NONE;
      const afterSeq = since === undefined || low === null || high === null ? NONE : firstSeqSince(since, low, high) - 1;
      const events = paged<EventRow>((last) => eventsAfter.all(last?.ts ?? since ?? NONE, last?.id ?? NONE, lastEvent, PAGE));
      const messages = paged<MessageRow>((last) => messagesAfter.all(last?.seq ?? afterSeq, lastSeq, PAGE));
      yield* merge(events, since === undefined ? messages : skipBefore(messages, since));
    },
  };
}

/** Drops the rare message stored out of time order (a clock set back) that is older than `since`. */
function* skipBefore(rows: Iterable<MessageRow>, since: number): Generator<MessageRow> {
  for (const row of rows) if (row.created_at >= since) yield row;
}
