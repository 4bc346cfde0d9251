/** Token checks shared by WebSocket and HTTP: who a token speaks for, and auditing failures without the secret. */
import type { IncomingHttpHeaders } from 'node:http';
import { SwitchboardError } from '../../shared/protocol/index.js';
import type { Identity } from './connection.js';
import type { Logger } from './logger.js';
import type { EventStore } from './store/event-store.js';
import type { TokenStore } from './store/token-store.js';

/** The agent name an admin token acts as when it names none: the person at the machine. */
export const DEFAULT_ADMIN_AGENT = 'user';

export type Authenticator = ReturnType<typeof createAuthenticator>;

export function createAuthenticator(deps: { tokens: TokenStore; events: EventStore; logger: Logger; now: () => number }) {
  return {
    /** The token from `Authorization: Bearer …` or `X-Relay-API-Key: …`, if either is present. */
    tokenFromHeaders(headers: IncomingHttpHeaders): string | undefined {
      const authorization = headers.authorization;
      if (authorization !== undefined) {
        const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
        return match?.[1] ?? '';
      }
      const key = headers['x-relay-api-key'];
      return typeof key === 'string' ? key.trim() : undefined;
    },
    /**
     * Checks a token and works out the identity it grants. An agent token speaks only for its agent;
     * an admin token may act as any agent it names.
     */
    identify(token: string | undefined, requestedAgent: string | undefined, source: string): Identity {
      const now = deps.now();
      const record = token === undefined || token === '' ? undefined : deps.tokens.verify(token, now);
      if (record === undefined) {
        deps.events.record('auth_failure', now, { subject: source, detail: { reason: token === undefined ? 'missing token' : 'unknown or revoked token' } });
        deps.logger.warn('authentication failed', { source });
        throw new SwitchboardError('SB_ERR_AUTH', token === undefined ? 'a token is required' : 'the token is wrong or was revoked');
      }
      if (record.admin) return { agent: requestedAgent ?? DEFAULT_ADMIN_AGENT, admin: true, tokenId: record.id };
      const agent = record.agent ?? DEFAULT_ADMIN_AGENT;
      if (requestedAgent !== undefined && requestedAgent !== agent) {
        throw new SwitchboardError('SB_ERR_FORBIDDEN', `this token belongs to agent "${agent}" and cannot act as "${requestedAgent}"`);
      }
      return { agent, admin: false, tokenId: record.id };
    },
  };
}
