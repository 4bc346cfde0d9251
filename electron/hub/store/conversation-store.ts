/** Conversations: created on first use, cached in memory so the send path never reads the table. */
import type { ConversationInfo } from '../../../shared/protocol/index.js';
import type { Db } from './database.js';

export interface ConversationMeta {
  id: string;
  kind: 'channel' | 'direct';
  members: string[] | null;
}

interface ConversationRow {
  id: string;
  title: string | null;
  kind: 'channel' | 'direct';
  members: string | null;
  created_by: string;
  created_at: number;
  last_seq: number | null;
  message_count: number;
  paused_at: number | null;
  paused_reason: string | null;
}

/** A conversation the loop breaker must know about at start: paused, or with hops spent before a resume. */
export interface LoopRow {
  id: string;
  paused_at: number | null;
  paused_reason: string | null;
  hop_base: number;
}

/** The id of the direct conversation between two agents; the same whichever of them asks. */
export function directConversationId(a: string, b: string): string {
  return a < b ? `dm:${a}:${b}` : `dm:${b}:${a}`;
}

export type ConversationStore = ReturnType<typeof createConversationStore>;

export function createConversationStore(db: Db) {
  const insert = db.prepare<[string, string | null, string, string | null, string, number]>(
    'INSERT OR IGNORE INTO conversations (id, title, kind, members, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const listQuery = `SELECT c.*,
      (SELECT max(seq) FROM messages m WHERE m.conversation_id = c.id) AS last_seq,
      (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) AS message_count
    FROM conversations c`;
  const list = db.prepare<[], ConversationRow>(`${listQuery} ORDER BY last_seq DESC NULLS LAST, c.created_at DESC`);
  const one = db.prepare<[string], ConversationRow>(`${listQuery} WHERE c.id = ?`);
  const all = db.prepare<[], { id: string; kind: 'channel' | 'direct'; members: string | null }>('SELECT id, kind, members FROM conversations');
  const pause = db.prepare<[number, string, string]>('UPDATE conversations SET paused_at = ?, paused_reason = ? WHERE id = ?');
  const resume = db.prepare<[number, string]>('UPDATE conversations SET paused_at = NULL, paused_reason = NULL, hop_base = ? WHERE id = ?');
  const loopRows = db.prepare<[], LoopRow>('SELECT id, paused_at, paused_reason, hop_base FROM conversations WHERE paused_at IS NOT NULL OR hop_base > 0');
  const cache = new Map<string, ConversationMeta>();
  const reload = (): void => {
    cache.clear();
    for (const row of all.all()) {
      cache.set(row.id, { id: row.id, kind: row.kind, members: row.members === null ? null : (JSON.parse(row.members) as string[]) });
    }
  };
  reload();

  const toInfo = (row: ConversationRow): ConversationInfo => ({
    id: row.id,
    title: row.title,
    kind: row.kind,
    members: row.members === null ? null : (JSON.parse(row.members) as string[]),
    created_by: row.created_by,
    created_at: new Date(row.created_at).toISOString(),
    last_seq: row.last_seq ?? 0,
    message_count: row.message_count,
    paused: row.paused_at === null ? null : { at: new Date(row.paused_at).toISOString(), reason: row.paused_reason ?? '' },
  });

  return {
    meta(id: string): ConversationMeta | undefined {
      return cache.get(id);
    },
    /** Every conversation's metadata, from memory. */
    metas(): Iterable<ConversationMeta> {
      return cache.values();
    },
    /** Creates the conversation unless it exists; returns its metadata and whether it was new. */
    ensure(
      id: string,
      createdBy: string,
      now: number,
      options: { title?: string | undefined; kind?: 'channel' | 'direct'; members?: string[] | undefined } = {},
    ): { meta: ConversationMeta; created: boolean } {
      const existing = cache.get(id);
      if (existing !== undefined) return { meta: existing, created: false };
      const kind = options.kind ?? 'channel';
      const members = options.members ?? null;
      insert.run(id, options.title ?? null, kind, members === null ? null : JSON.stringify(members), createdBy, now);
      const meta: ConversationMeta = { id, kind, members };
      cache.set(id, meta);
      return { meta, created: true };
    },
    /** Re-reads the cache after a rolled-back transaction may have left entries that were never stored. */
    reload,
    info(id: string): ConversationInfo | undefined {
      const row = one.get(id);
      return row === undefined ? undefined : toInfo(row);
    },
    list(): ConversationInfo[] {
      return list.all().map(toInfo);
    },
    /** The loop breaker's pause, written in the caller's transaction. */
    pause(id: string, at: number, reason: string): void {
      pause.run(at, reason, id);
    },
    /** Lifts the pause; hops up to `hopBase` no longer count against the hop budget. */
    resume(id: string, hopBase: number): void {
      resume.run(hopBase, id);
    },
    loopRows(): LoopRow[] {
      return loopRows.all();
    },
  };
}

/** Whether an agent may read and post in a conversation: open ones for all, members-only ones for members. */
export function mayAccess(meta: ConversationMeta | undefined, agent: string, admin: boolean): boolean {
  if (admin || meta === undefined || meta.members === null) return true;
  return meta.members.includes(agent);
}
