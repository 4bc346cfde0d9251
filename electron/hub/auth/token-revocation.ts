/** Revoking a token (or ending a browser session, which is a token row too): the row, the audit event, and its open connections. */
import type { HubServices } from '../services.js';

/** What revoking a token touches. */
export type RevocationServices = Pick<HubServices, 'tokens' | 'events' | 'connections' | 'clock'>;

/** Revokes token `id` on behalf of `actor`; false when it was already revoked. */
export function revokeToken(s: RevocationServices, id: string, actor: string, reason = 'the token was revoked'): boolean {
  const now = s.clock.now();
  if (!s.tokens.revoke(id, now)) return false;
  s.events.record('token_revoked', now, { actor, subject: id });
  for (const conn of s.connections.all()) {
    if (conn.identity?.tokenId === id) conn.failWith('SB_ERR_AUTH', reason);
  }
  return true;
}
