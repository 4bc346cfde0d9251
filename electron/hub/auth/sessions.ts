/**
 * Login links and browser sessions (SPEC §4). A link carries a one-time code, valid 10 minutes and kept
 * in memory only as its hash; opening it creates a session: an admin token row of kind `session`,
 * hashed like every token, listed and revocable, whose secret the browser keeps in an HttpOnly cookie.
 * Being a row in the database, a session outlives hub restarts.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_ADMIN_AGENT } from './auth.js';
import { SwitchboardError, type httpRoutes, type HttpResponse, type TokenRecord } from '../../../shared/index.js';
import type { LoginPages } from './login-pages.js';
import type { EventStore } from '../store/event-store.js';
import { hashToken, type TokenStore } from '../store/token-store.js';

const LOGIN_LINK_TTL_MS = 10 * 60_000;
export const SESSION_TTL_MS = 30 * 86_400_000;
const SESSION_LABEL = 'browser session';

/** A login link as `POST /api/login-links` answers it; its login page, when asked for, is deleted once the code is used or expires. */
export type LoginLink = Omit<HttpResponse<typeof httpRoutes.createLoginLink>, 'status'>;

export interface Session {
  /** The cookie's value: shown to the browser once, stored only hashed. */
  secret: string;
  record: TokenRecord;
}

export type Sessions = ReturnType<typeof createSessions>;

/** `writeFailed` classifies a failed write (DatabaseHealth.failed): SB_ERR_READ_ONLY or SB_ERR_STORAGE when the database cannot store anything now. */
export function createSessions(deps: {
  tokens: TokenStore;
  events: EventStore;
  pages: LoginPages;
  writeFailed: (error: unknown) => unknown;
  now: () => number;
}) {
  /** Unused codes: hash → expiry (epoch ms). */
  const codes = new Map<string, number>();

  const forgetExpired = (now: number): void => {
    for (const [hash, expires] of codes) {
      if (expires > now) continue;
      codes.delete(hash);
      deps.pages.remove(hash);
    }
  };

  const start = (label: string, now: number): Session => {
    const options = { agent: null, admin: true, label, kind: 'session' as const, expiresAt: now + SESSION_TTL_MS };
    try {
      const { token, record } = deps.tokens.create(options, now);
      deps.events.record('session_created', now, { actor: DEFAULT_ADMIN_AGENT, subject: record.id });
      return { secret: token, record };
    } catch (error) {
      // A hub that cannot write (a damaged database, a full disk) still lets the person in to see why.
      const reported = deps.writeFailed(error);
      if (!(reported instanceof SwitchboardError && (reported.code === 'SB_ERR_READ_ONLY' || reported.code === 'SB_ERR_STORAGE'))) throw reported;
      const { token, record } = deps.tokens.createUnstored(options, now);
      return { secret: token, record };
    }
  };

  return {
    /** A one-time login link to the hub at `base` (such as http://127.0.0.1:8765); with `page`, also a login page for it. */
    link(base: string, options: { page?: boolean } = {}): LoginLink {
      const now = deps.now();
      forgetExpired(now);
      const code = randomBytes(32).toString('base64url');
      const hash = hashToken(code);
      const expires = now + LOGIN_LINK_TTL_MS;
      codes.set(hash, expires);
      const link: LoginLink = { url: `${base}/login?code=${code}`, expires_at: new Date(expires).toISOString() };
      return options.page === true ? { ...link, page: deps.pages.write(hash, link.url, LOGIN_LINK_TTL_MS) } : link;
    },
    /** Uses up a link's code; a code that is valid becomes a new session, anything else undefined. */
    open(code: string): Session | undefined {
      const now = deps.now();
      const hash = hashToken(code);
      const expires = codes.get(hash);
      codes.delete(hash);
      deps.pages.remove(hash);
      if (expires === undefined || expires <= now) return undefined;
      return start(SESSION_LABEL, now);
    },
    /** A session without a link, for a window the hub's own host opens (the desktop app); `label` names it in the token list. */
    create(label: string): Session {
      return start(label, deps.now());
    },
    /** Deletes the login pages not used yet. */
    close(): void {
      deps.pages.close();
    },
  };
}
