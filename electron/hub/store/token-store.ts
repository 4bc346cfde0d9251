/** Access tokens and browser sessions: random, shown once, stored only as a SHA-256 hash. */
import { createHash, randomBytes } from 'node:crypto';
import type { TokenRecord } from '../../../shared/index.js';
import type { Db } from './database.js';

/** `token`: sent in a header by agents and tools; `session`: a browser's login, accepted only as its cookie. */
export type TokenKind = TokenRecord['kind'];

interface TokenRow {
  id: string;
  agent: string | null;
  admin: number;
  label: string | null;
  kind: TokenKind;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  expires_at: number | null;
}

const TOUCH_EVERY_MS = 60_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return `sb_${randomBytes(32).toString('base64url')}`;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

const toRecord = (row: TokenRow): TokenRecord => ({
  id: row.id,
  agent: row.agent,
  admin: row.admin === 1,
  label: row.label,
  kind: row.kind,
  created_at: new Date(row.created_at).toISOString(),
  last_used_at: iso(row.last_used_at),
  revoked_at: iso(row.revoked_at),
  expires_at: iso(row.expires_at),
});

export type TokenStore = ReturnType<typeof createTokenStore>;

export function createTokenStore(db: Db) {
  const insert = db.prepare<[string, string, string | null, number, string | null, TokenKind, number, number | null]>(
    'INSERT INTO tokens (id, hash, agent, admin, label, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const byHash = db.prepare<[string, number], TokenRow>(
    'SELECT * FROM tokens WHERE hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)',
  );
  const touch = db.prepare<[number, string]>('UPDATE tokens SET last_used_at = ? WHERE id = ?');
  const revoke = db.prepare<[number, string]>('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const list = db.prepare<[], TokenRow>('SELECT * FROM tokens ORDER BY created_at, id');
  const one = db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE id = ?');
  const known = db.prepare<[string], { id: string }>('SELECT id FROM tokens WHERE hash = ?');
  /** Tokens the database could not store (it is read-only or full), by hash: they last until the hub stops. */
  const unstored = new Map<string, TokenRow>();
  const live = (row: TokenRow, now: number): boolean => row.revoked_at === null && (row.expires_at === null || row.expires_at > now);

  return {
    /**
     * Creates a token and returns its secret once; only the hash is kept. `secret` adopts an existing value
     * (checked by the caller) instead of a random one.
     */
    create(
      options: { agent: string | null; admin: boolean; label?: string | undefined; kind?: TokenKind; expiresAt?: number; secret?: string },
      now: number,
    ): { token: string; record: TokenRecord } {
      const token = options.secret ?? newToken();
      const id = `tok_${randomBytes(6).toString('hex')}`;
      insert.run(id, hashToken(token), options.agent, options.admin ? 1 : 0, options.label ?? null, options.kind ?? 'token', now, options.expiresAt ?? null);
      const row = one.get(id);
      if (row === undefined) throw new Error('token vanished after insert');
      return { token, record: toRecord(row) };
    },
    /**
     * A token kept in memory only, for when the database cannot store one (a damaged database opened
     * read-only, a full disk): a person can still sign in to see what is wrong. It ends with the hub.
     */
    createUnstored(
      options: { agent: string | null; admin: boolean; label: string; kind: TokenKind; expiresAt: number },
      now: number,
    ): { token: string; record: TokenRecord } {
      const token = newToken();
      const row: TokenRow = {
        id: `tok_${randomBytes(6).toString('hex')}`,
        agent: options.agent,
        admin: options.admin ? 1 : 0,
        label: options.label,
        kind: options.kind,
        created_at: now,
        expires_at: options.expiresAt,
        last_used_at: null,
        revoked_at: null,
      };
      unstored.set(hashToken(token), row);
      return { token, record: toRecord(row) };
    },
    /** The live (not revoked, not expired) token with this secret, if any; records when it was used. */
    verify(token: string, now: number): TokenRecord | undefined {
      const hash = hashToken(token);
      const held = unstored.get(hash);
      if (held !== undefined) return live(held, now) ? toRecord(held) : undefined;
      const row = byHash.get(hash, now);
      if (row === undefined) return undefined;
      // Recorded at most once a minute, so a busy HTTP agent does not cost a write per request.
      if (row.last_used_at === null || now - row.last_used_at >= TOUCH_EVERY_MS) {
        try {
          touch.run(now, row.id);
        } catch {
          // Bookkeeping only: a hub that cannot write (damaged database, full disk) still lets its tokens in.
        }
      }
      return toRecord(row);
    },
    /** True when a token with this secret exists or existed (revoked or expired included). */
    has(token: string): boolean {
      const hash = hashToken(token);
      return unstored.has(hash) || known.get(hash) !== undefined;
    },
    revoke(id: string, now: number): boolean {
      const held = [...unstored.values()].find((row) => row.id === id);
      if (held === undefined) return revoke.run(now, id).changes === 1;
      if (held.revoked_at !== null) return false;
      held.revoked_at = now;
      return true;
    },
    get(id: string): TokenRecord | undefined {
      const row = one.get(id) ?? [...unstored.values()].find((held) => held.id === id);
      return row === undefined ? undefined : toRecord(row);
    },
    list(): TokenRecord[] {
      return [...list.all(), ...unstored.values()].map(toRecord);
    },
  };
}
