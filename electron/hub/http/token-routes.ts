/** Agents and their tokens over HTTP: list agents; create (shown once), list and revoke tokens (admin only). */
import { createTokenRequest, SwitchboardError } from '../../../shared/index.js';
import { listAgents, type AgentListingServices } from '../read-models/agent-listing.js';
import { revokeToken, type RevocationServices } from '../auth/token-revocation.js';
import { checkAdoptedSecret } from '../auth/token-strength.js';
import { requireIdentity, route, type Route } from './http-router.js';
import { parseWith } from './parse.js';

export function tokenRoutes(s: AgentListingServices & RevocationServices): Route[] {
  return [
    route('listAgents', {
      handle(ctx) {
        return { body: { status: 'ok', agents: listAgents(s, requireIdentity(ctx)) } };
      },
    }),
    route('listTokens', {
      handle() {
        return { body: { status: 'ok', tokens: s.tokens.list() } };
      },
    }),
    route('createToken', {
      async handle(ctx) {
        const { agent, admin, label, value } = parseWith(createTokenRequest, await ctx.body(), 'token request');
        if (value !== undefined && s.tokens.has(checkAdoptedSecret(value))) {
          throw new SwitchboardError('SB_ERR_CONFLICT', 'a token with this value exists already (or did, and was revoked); each token needs its own value');
        }
        const { token, record } = s.tokens.create({ agent, admin, label, ...(value === undefined ? {} : { secret: value }) }, s.clock.now());
        const adopted = value !== undefined;
        s.events.record('token_created', s.clock.now(), {
          actor: requireIdentity(ctx).agent,
          subject: record.id,
          detail: { agent: record.agent, admin: record.admin, ...(adopted ? { adopted } : {}) },
        });
        // An adopted value is the caller's own: it is not sent back.
        return { status: 201, body: { status: 'ok', token: adopted ? { ...record, adopted } : { ...record, token } } };
      },
    }),
    route('revokeToken', {
      handle(ctx) {
        const { id } = ctx.params;
        if (s.tokens.get(id) === undefined) throw new SwitchboardError('SB_ERR_NOT_FOUND', `no token "${id}"`);
        return { body: { status: 'ok', revoked: revokeToken(s, id, requireIdentity(ctx).agent) } };
      },
    }),
  ];
}
