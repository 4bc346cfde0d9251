/** Agents: who has connected, with profile and last_seen; online state itself lives in memory (presence). */
import type { Db } from './database.js';

export interface AgentProfile {
  display_name?: string | undefined;
  kind?: string | undefined;
  capabilities?: string[] | undefined;
}

export interface AgentRow {
  id: string;
  display_name: string | null;
  kind: string | null;
  capabilities: string[];
  last_seen: number | null;
}

type RawRow = Omit<AgentRow, 'capabilities'> & { capabilities: string };

export type AgentStore = ReturnType<typeof createAgentStore>;

/**
 * Runs a last-seen write. Presence is bookkeeping: a hub that cannot write (damaged database, full disk)
 * still lets agents connect and leave, so a refused write is reported as false, never thrown.
 */
function bookkeeping(write: () => unknown): boolean {
  try {
    write();
    return true;
  } catch {
    return false;
  }
}

export function createAgentStore(db: Db) {
  const upsert = db.prepare<[{ id: string; display_name: string | null; kind: string | null; capabilities: string | null; now: number }]>(
    `INSERT INTO agents (id, display_name, kind, capabilities, created_at, last_seen)
     VALUES (@id, @display_name, @kind, coalesce(@capabilities, '[]'), @now, @now)
     ON CONFLICT (id) DO UPDATE SET
       display_name = coalesce(excluded.display_name, agents.display_name),
       kind = coalesce(excluded.kind, agents.kind),
       capabilities = coalesce(@capabilities, agents.capabilities),
       last_seen = excluded.last_seen`,
  );
  const touch = db.prepare<[number, string]>('UPDATE agents SET last_seen = ? WHERE id = ?');
  const list = db.prepare<[], RawRow>('SELECT id, display_name, kind, capabilities, last_seen FROM agents ORDER BY id');
  const one = db.prepare<[string], RawRow>('SELECT id, display_name, kind, capabilities, last_seen FROM agents WHERE id = ?');
  const parse = (row: RawRow): AgentRow => ({ ...row, capabilities: JSON.parse(row.capabilities) as string[] });

  return {
    /** Records that an agent connected, updating whatever profile fields it sent; false when the database refused the write. */
    seen(id: string, profile: AgentProfile, now: number): boolean {
      return bookkeeping(() =>
        upsert.run({
          id,
          display_name: profile.display_name ?? null,
          kind: profile.kind ?? null,
          capabilities: profile.capabilities === undefined ? null : JSON.stringify(profile.capabilities),
          now,
        }),
      );
    },
    touch(id: string, now: number): boolean {
      return bookkeeping(() => touch.run(now, id));
    },
    get(id: string): AgentRow | undefined {
      const row = one.get(id);
      return row === undefined ? undefined : parse(row);
    },
    list(): AgentRow[] {
      return list.all().map(parse);
    },
  };
}
