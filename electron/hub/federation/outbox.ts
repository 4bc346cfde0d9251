/**
 * The federation outbox is a cursor, not a copy: local messages above `federation_cursor.published_seq`
 * are still to publish. The cursor moves through the commit queue once JetStream has acknowledged them,
 * so a crash in between publishes them again, and JetStream's de-duplication by message id (plus the
 * receivers' unique origin key) stores them once.
 */
import type { CommitQueue } from '../store/commit-queue.js';
import type { Db } from '../store/database.js';
import type { RemoteMessage } from '../store/message-store.js';

interface OutboxRow {
  seq: number;
  conversation_id: string;
  sender: string;
  message_type: string;
  content: string;
  payload: string | null;
  created_at: number;
}

export interface OutboxPage {
  /** The messages to publish, in seq order, as other hubs will store them. */
  messages: RemoteMessage[];
  /** The highest seq looked at: the cursor moves there once the messages are published. */
  upTo: number;
}

export interface FederationOutbox {
  /** The next local messages above the cursor in shared conversations; undefined when there is nothing above it. */
  next(limit: number): OutboxPage | undefined;
  /** Moves the cursor, committed before the promise resolves. */
  moveTo(seq: number): Promise<void>;
  /** This hub's messages above the cursor, shared or not (a bound on what is left to publish). */
  pending(): number;
  publishedSeq(): number;
}

export function createFederationOutbox(db: Db, commits: CommitQueue, hubId: string, shared: (conversationId: string) => boolean): FederationOutbox {
  // Federation starts from the last message when it is first switched on: what came before stays home.
  db.prepare('INSERT OR IGNORE INTO federation_cursor (id, published_seq) SELECT 1, coalesce(max(seq), 0) FROM messages').run();
  const cursor = db.prepare<[], { published_seq: number }>('SELECT published_seq FROM federation_cursor');
  const above = db.prepare<[number, number], OutboxRow & { origin_hub: string | null; incomplete: number }>(
    'SELECT seq, conversation_id, sender, message_type, content, payload, created_at, origin_hub, incomplete FROM messages WHERE seq > ? ORDER BY seq LIMIT +?',
  );
  const move = db.prepare<[number]>('UPDATE federation_cursor SET published_seq = max(published_seq, ?)');
  const pending = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM messages WHERE seq > ? AND origin_hub IS NULL');
  const publishedSeq = (): number => cursor.get()?.published_seq ?? 0;

  return {
    next(limit) {
      const rows = above.all(publishedSeq(), limit);
      const last = rows.at(-1);
      if (last === undefined) return undefined;
      const messages: RemoteMessage[] = [];
      for (const row of rows) {
        // Messages from other hubs are theirs to publish; a streamed message cut short stays home.
        if (row.origin_hub !== null || row.incomplete === 1 || !shared(row.conversation_id)) continue;
        const message: RemoteMessage = {
          origin_hub: hubId,
          origin_seq: row.seq,
          conversation_id: row.conversation_id,
          sender: row.sender,
          message_type: row.message_type,
          content: row.content,
          created_at: row.created_at,
        };
        if (row.payload !== null) message.payload = JSON.parse(row.payload);
        messages.push(message);
      }
      return { messages, upTo: last.seq };
    },
    moveTo(seq) {
      return new Promise((resolve, reject) => commits.enqueue({ apply: () => move.run(seq), committed: () => resolve(), failed: reject }));
    },
    pending: () => pending.get(publishedSeq())?.n ?? 0,
    publishedSeq,
  };
}
