/** The audit trail: auth failures, tokens, start/stop and other hub events; append-only but for the count of a coalesced auth failure. */
import type { Db } from './database.js';

export interface AuditEvent {
  id: number;
  ts: string;
  kind: string;
  actor: string | null;
  subject: string | null;
  detail: unknown;
}

/** An event as handed to `onRecord` listeners. */
export interface RecordedEvent {
  kind: string;
  ts: number;
  actor: string | null;
  subject: string | null;
  detail: unknown;
}

export interface EventRow {
  id: number;
  ts: number;
  kind: string;
  actor: string | null;
  subject: string | null;
  detail: string | null;
}

export type EventStore = ReturnType<typeof createEventStore>;

export function createEventStore(db: Db) {
  const insert = db.prepare<[number, string, string | null, string | null, string | null]>(
    'INSERT INTO events (ts, kind, actor, subject, detail) VALUES (?, ?, ?, ?, ?)',
  );
  const latest = db.prepare<[number], EventRow>('SELECT * FROM events ORDER BY id DESC LIMIT +?');
  const setDetail = db.prepare<[string, number]>('UPDATE events SET detail = ? WHERE id = ?');
  const listeners = new Set<(event: RecordedEvent) => void>();
  return {
    /** Appends an event; returns its id. */
    record(kind: string, now: number, fields: { actor?: string | null; subject?: string | null; detail?: unknown } = {}): number {
      const { lastInsertRowid } = insert.run(
        now,
        kind,
        fields.actor ?? null,
        fields.subject ?? null,
        fields.detail === undefined ? null : JSON.stringify(fields.detail),
      );
      for (const listener of listeners)
        listener({ kind, ts: now, actor: fields.actor ?? null, subject: fields.subject ?? null, detail: fields.detail ?? null });
      return Number(lastInsertRowid);
    },
    /** Replaces an event's detail: only for an event that stands for a count still growing (coalesced auth failures). */
    amend(id: number, detail: unknown): void {
      setDetail.run(JSON.stringify(detail), id);
    },
    /**
     * Called with each event as it is recorded, often inside the transaction that records it (which
     * may still roll back): a listener should only note it and act after the turn (the alert engine).
     */
    onRecord(listener: (event: RecordedEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** The newest `limit` events, oldest first. */
    latest(limit: number): AuditEvent[] {
      return latest
        .all(limit)
        .reverse()
        .map((row) => ({ ...row, ts: new Date(row.ts).toISOString(), detail: row.detail === null ? null : JSON.parse(row.detail) }));
    },
  };
}
