/** Full-text search over messages through the FTS5 index `messages_fts` (migration 8), newest first. */
import type { SearchHit } from '../../../shared/protocol/index.js';
import type { Db } from './database.js';
import { rowToMessage, type MessageRow } from './message-store.js';

/** Marks around each matched word in a snippet. */
const SNIPPET_OPEN = '[[';
const SNIPPET_CLOSE = ']]';
/** Words of context a snippet keeps around the matches. */
const SNIPPET_WORDS = 16;

export interface SearchFilter {
  /** An FTS5 query: build it with `ftsQuery`, never from raw input. */
  query: string;
  /** Only messages with a smaller seq (paging backwards). */
  before: number;
  conversation: string | undefined;
  /** Conversations whose messages must not be returned (members-only ones the reader is not in). */
  hidden: readonly string[];
  limit: number;
}

export type SearchStore = ReturnType<typeof createSearchStore>;

export function createSearchStore(db: Db) {
  // The FTS table drives the loop, newest rowid (seq) first, so a page stops after `limit` hits.
  const search = db.prepare<
    [{ query: string; before: number; conversation: string | null; hidden: string | null; limit: number }],
    MessageRow & { snippet: string }
  >(
    `SELECT m.*, snippet(messages_fts, -1, '${SNIPPET_OPEN}', '${SNIPPET_CLOSE}', '…', ${SNIPPET_WORDS}) AS snippet
       FROM messages_fts JOIN messages AS m ON m.seq = messages_fts.rowid
      WHERE messages_fts MATCH @query AND messages_fts.rowid < @before
        AND (@conversation IS NULL OR m.conversation_id = @conversation)
        AND (@hidden IS NULL OR m.conversation_id NOT IN (SELECT value FROM json_each(@hidden)))
      ORDER BY messages_fts.rowid DESC LIMIT +@limit`,
  );

  return {
    search(filter: SearchFilter): SearchHit[] {
      const rows = search.all({
        query: filter.query,
        before: filter.before,
        conversation: filter.conversation ?? null,
        hidden: filter.hidden.length === 0 ? null : JSON.stringify(filter.hidden),
        limit: filter.limit,
      });
      return rows.map((row) => ({ ...rowToMessage(row), snippet: row.snippet }));
    },
  };
}
