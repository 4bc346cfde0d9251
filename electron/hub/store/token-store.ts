/** Access tokens: random, shown once, stored only as a SHA-256 hash. */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './database.js';

export interface TokenRecord {
  id: string;
  /** The agent this token speaks for; null for an admin token, which may name any agent. */
  agent: string | null;
  admin: boolean;
  label: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

interface TokenRow {
  id: string;
  agent: string | null;
  admin: number;
  label: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

const TOUCH_EVERY_MS = 60_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return `sb_${randomBytes(32).toString('base64url')}`;
}

const toRecord = (row: TokenRow): TokenRecord => ({
  id: row.id,
  agent: row.agent,
  admin: row.admin === 1,
  label: row.label,
  created_at: new Date(row.created_at).toISOString(),
  last_used_at: row.last_used_at === null ? null : new Date(row.last_used_at).toISOString(),
  revoked_at: row.revoked_at === null ? null : new Date(row.revoked_at).toISOString(),
});

export type TokenStore = ReturnType<typeof createTokenStore>;

export function createTokenStore(db: Db) {
  const insert = db.prepare<[string, string, string | null, number, string | null, number]>(
    'INSERT INTO tokens (id, hash, agent, admin, label, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const byHash = db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE hash = ? AND revoked_at IS NULL');
  const touch = db.prepare<[number, string]>('UPDATE tokens SET last_used_at = ? WHERE id = ?');
  const revoke = db.prepare<[number, string]>('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const list = db.prepare<[], TokenRow>('SELECT * FROM tokens ORDER BY created_at, id');
  const one = db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE id = ?');

  return {
    /** Creates a token and returns its secret once; only the hash is kept. */
    create(options: { agent: string | null; admin: boolean; label?: string | undefined }, now: number): { token: string; record: TokenRecord } {
      const token = newToken();
      const id = `tok_${randomBytes(6).toString('hex')}`;
      insert.run(id, hashToken(token), options.agent, options.admin ? 1 : 0, options.label ?? null, now);
      const row = one.get(id);
      if (row === undefined) throw new Error('token vanished after insert');
      return { token, record: toRecord(row) };
    },
    /** The live (not revoked) token with this secret, if any; records when it was used. */
    verify(token: string, now: number): TokenRecord | undefined {
      const row = byHash.get(hashToken(token));
      if (row === undefined) return undefined;
      // Recorded at most once a minute, so a busy HTTP agent does not cost a write per request.
      if (row.last_used_at === null || now - row.last_used_at >= TOUCH_EVERY_MS) touch.run(now, row.id);
      return toRecord(row);
    },
    revoke(id: string, now: number): boolean {
      return revoke.run(now, id).changes === 1;
    },
    get(id: string): TokenRecord | undefined {
      const row = one.get(id);
      return row === undefined ? undefined : toRecord(row);
    },
    list(): TokenRecord[] {
      return list.all().map(toRecord);
    },
  };
}
