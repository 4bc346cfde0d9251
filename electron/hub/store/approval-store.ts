/** The person's decision per agent name (approveNewAgents): approved or denied, by whom and when. */
import type { Db } from './database.js';

export type ApprovalDecision = 'approved' | 'denied';

export interface ApprovalRow {
  agent: string;
  decision: ApprovalDecision;
  decided_by: string;
  decided_at: number;
}

export type ApprovalStore = ReturnType<typeof createApprovalStore>;

/**
 * Kept whole in memory as well: every hello and every HTTP request acting as an agent asks for its name's
 * decision, and the table holds one small row per name.
 */
export function createApprovalStore(db: Db) {
  const all = db.prepare<[], ApprovalRow>('SELECT agent, decision, decided_by, decided_at FROM agent_approvals ORDER BY agent');
  const upsert = db.prepare<[ApprovalRow]>(
    `INSERT INTO agent_approvals (agent, decision, decided_by, decided_at) VALUES (@agent, @decision, @decided_by, @decided_at)
     ON CONFLICT (agent) DO UPDATE SET decision = excluded.decision, decided_by = excluded.decided_by, decided_at = excluded.decided_at`,
  );
  const remove = db.prepare<[string]>('DELETE FROM agent_approvals WHERE agent = ?');
  const rows = new Map(all.all().map((row) => [row.agent, row]));

  return {
    get(agent: string): ApprovalRow | undefined {
      return rows.get(agent);
    },
    list(): ApprovalRow[] {
      return [...rows.values()].sort((a, b) => (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0));
    },
    /** Stores a decision, replacing the name's earlier one. */
    decide(agent: string, decision: ApprovalDecision, by: string, now: number): ApprovalRow {
      const row = { agent, decision, decided_by: by, decided_at: now };
      upsert.run(row);
      rows.set(agent, row);
      return row;
    },
    /** Forgets a name's decision: its next connection asks again. False when there was none. */
    forget(agent: string): boolean {
      remove.run(agent);
      return rows.delete(agent);
    },
  };
}
