/** Interactions agents report: one row each, written in the group commit that acknowledges them. */
import type { InteractionRecord } from '../../../shared/index.js';
import type { Db } from './database.js';

/** An interaction as stored: who reported it and when it happened (epoch ms). */
export interface Interaction {
  id: number;
  agent: string;
  session_id: string | null;
  ts: number;
  user_input: string | null;
  intent: string | null;
  tools_used: unknown[];
  response_time_ms: number;
  success: boolean;
  error_type: string | null;
}

export type InteractionStore = ReturnType<typeof createInteractionStore>;

export function createInteractionStore(db: Db) {
  const insert = db.prepare<[string, string | null, number, string | null, string | null, string, number, number, string | null, number]>(
    `INSERT INTO interactions (agent, session_id, ts, user_input, intent, tools_used, response_time_ms, success, error_type, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    insert(agent: string, record: InteractionRecord, now: number): Interaction {
      const ts = record.timestamp ?? now;
      const result = insert.run(
        agent,
        record.session_id ?? null,
        ts,
        record.user_input,
        record.intent ?? null,
        JSON.stringify(record.tools_used),
        record.response_time_ms,
        record.success ? 1 : 0,
        record.error_type ?? null,
        now,
      );
      return {
        id: Number(result.lastInsertRowid),
        agent,
        session_id: record.session_id ?? null,
        ts,
        user_input: record.user_input,
        intent: record.intent ?? null,
        tools_used: record.tools_used,
        response_time_ms: record.response_time_ms,
        success: record.success,
        error_type: record.error_type ?? null,
      };
    },
  };
}
