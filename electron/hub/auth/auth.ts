/** Token checks shared by WebSocket and HTTP: who a token speaks for, and auditing failures without the secret. */
import type { IncomingHttpHeaders } from 'node:http';
import { SwitchboardError } from '../../../shared/protocol/index.js';
import type { AuthFailures } from './auth-failures.js';
import type { CredentialSource, Identity } from '../ws/connection.js';
import type { TokenStore } from '../store/token-store.js';

/** The agent name an admin token acts as when it names none: the person at the machine. */
export const DEFAULT_ADMIN_AGENT = 'user';

/** The cookie a browser session rides on (set by `GET /login`). */
export const SESSION_COOKIE = 'switchboard_session';

/** Where an attempt to authenticate came from: what it was for (`http GET /api/agents`, `ws hello`) and the source address. */
export interface Attempt {
  source: string;
  peer: string;
}

/** A secret presented by a client, and how: a token in a header, or a browser session's cookie. */
export interface Credential {
  secret: string;
  via: CredentialSource;
}

export type Authenticator = ReturnType<typeof createAuthenticator>;

export function createAuthenticator(deps: { tokens: TokenStore; failures: AuthFailures; now: () => number }) {
  /** The token from `Authorization: Bearer …` or `X-Relay-API-Key: …`, if either is present. */
  const tokenFromHeaders = (headers: IncomingHttpHeaders): string | undefined => {
    const authorization = headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      return match?.[1] ?? '';
    }
    const key = headers['x-relay-api-key'];
    return typeof key === 'string' ? key.trim() : undefined;
  };

  return {
    /** Failed attempts by source: their rate limit and audit events. */
    failures: deps.failures,
    /** A header token if there is one, else the session cookie: an explicit token always wins. */
    credentialFromHeaders(headers: IncomingHttpHeaders): Credential | undefined {
      const token = tokenFromHeaders(headers);
      if (token !== undefined) return { secret: token, via: 'token' };
      const cookie = cookieValue(headers.cookie, SESSION_COOKIE);
      return cookie === undefined ? undefined : { secret: cookie, via: 'cookie' };
    },
    /**
     * Checks a token and works out the identity it grants. An agent token speaks only for its agent;
     * an admin token may act as any agent it names. A session secret works only as its cookie and a
     * token only in a header, so neither can stand in for the other. A failure is counted against its
     * source address (see auth-failures.ts) and may be answered with SB_ERR_RATE_LIMITED.
     */
    identify(token: string | undefined, requestedAgent: string | undefined, attempt: Attempt, via: CredentialSource = 'token'): Identity {
      const now = deps.now();
      const found = token === undefined || token === '' ? undefined : deps.tokens.verify(token, now);
      const record = found?.kind === (via === 'cookie' ? 'session' : 'token') ? found : undefined;
      if (record === undefined) {
        const reason = token === undefined ? 'missing token' : via === 'cookie' ? 'unknown, expired or revoked session' : 'unknown or revoked token';
        throw deps.failures.failed(attempt.peer, attempt.source, reason) ?? new SwitchboardError('SB_ERR_AUTH', authFailure(token, via));
      }
      if (record.admin) return { agent: requestedAgent ?? DEFAULT_ADMIN_AGENT, admin: true, tokenId: record.id, via };
      const agent = record.agent ?? DEFAULT_ADMIN_AGENT;
      if (requestedAgent !== undefined && requestedAgent !== agent) {
        throw new SwitchboardError('SB_ERR_FORBIDDEN', `this token belongs to agent "${agent}" and cannot act as "${requestedAgent}"`);
      }
      return { agent, admin: false, tokenId: record.id, via };
    },
  };
}

function authFailure(token: string | undefined, via: CredentialSource): string {
  if (token === undefined) return 'a token is required';
  return via === 'cookie' ? 'the browser session has expired or was ended; run `switchboard open` for a new login link' : 'the token is wrong or was revoked';
}

/** The first cookie called `name` in a Cookie header, if any. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at >= 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}
