/** Agents, their tokens and browser sessions over HTTP: list agents; create, list and revoke tokens; login links, who am I, logout. */
import { z } from 'zod';
import { agentName, isoTime } from '../common.js';
import { agentInfo } from '../server-frames.js';
import { okStatus } from './common.js';
import { defineRoute } from './route.js';

/**
 * The local process at the other end of one of an agent's connections: its pid, full command line and
 * executable. A command line may hold secrets, so only admins and the agent itself see those two; anyone
 * else gets null (as for an executable that could not be read).
 */
export const knownProcess = z.object({ pid: z.number().int(), command: z.string().nullable(), executable: z.string().nullable() });

/** A connection whose process the hub could not find: from another machine, another user's process, or a lookup still under way. */
export const unknownProcess = z.object({ unknown: z.literal(true), reason: z.string() });

export const connectionProcess = z.union([knownProcess, unknownProcess]);
export type ConnectionProcess = z.output<typeof connectionProcess>;

/**
 * An agent as `GET /api/agents` lists it: presence, its offline queue's depth, the tasks it holds (offered
 * or working) and the process behind each of its connections (none for an agent offline or on another hub).
 */
export const agentListing = agentInfo.extend({ queue_depth: z.number().int(), tasks_in_flight: z.number().int(), processes: z.array(connectionProcess) });
export type AgentListing = z.output<typeof agentListing>;

export const listAgentsResponse = z.object({ status: okStatus, agents: z.array(agentListing) });

/** A token as listed: never its secret. */
export const tokenRecord = z.object({
  id: z.string(),
  /** The agent it speaks for; null for an admin token, which may name any agent. */
  agent: z.string().nullable(),
  admin: z.boolean(),
  label: z.string().nullable(),
  /** `session` is a browser's sign-in from a login link, accepted only as its cookie. */
  kind: z.enum(['token', 'session']),
  created_at: isoTime,
  last_used_at: isoTime.nullable(),
  revoked_at: isoTime.nullable(),
  /** When it stops working by itself (sessions); null for a token that lasts until revoked. */
  expires_at: isoTime.nullable(),
});
export type TokenRecord = z.output<typeof tokenRecord>;

export const listTokensResponse = z.object({ status: okStatus, tokens: z.array(tokenRecord) });

export const createTokenRequest = z.object({
  agent: agentName,
  label: z.string().max(200).optional(),
  admin: z.boolean().default(false),
  /** An existing secret to adopt (an old relay key) instead of a new random token. */
  value: z.string().optional(),
});
export type CreateTokenRequest = z.input<typeof createTokenRequest>;

/** A new token with its secret, shown this once. */
export const newToken = tokenRecord.extend({ token: z.string() });
export type NewToken = z.output<typeof newToken>;

/** A token made from an adopted value: the value is the caller's own and is not sent back. */
export const adoptedToken = tokenRecord.extend({ adopted: z.literal(true) });

export const createTokenResponse = z.object({ status: okStatus, token: z.union([newToken, adoptedToken]) });

/** `revoked` is false when it was revoked already. */
export const revokeTokenResponse = z.object({ status: okStatus, revoked: z.boolean() });

/** `page: true` asks for a login page too: a file in the data folder for a browser to open instead of the URL. */
export const createLoginLinkRequest = z.object({ page: z.boolean().optional() });
export type CreateLoginLinkRequest = z.input<typeof createLoginLinkRequest>;

export const createLoginLinkResponse = z.object({
  status: okStatus,
  /** `GET` it once, before `expires_at`, for a session cookie. */
  url: z.string(),
  expires_at: isoTime,
  /** The login page's file, when asked for. */
  page: z.string().exactOptional(),
});

/** Who the caller is: the token's or session's agent, and how it signed in. */
export const sessionResponse = z.object({
  status: okStatus,
  agent: z.string(),
  admin: z.boolean(),
  via: z.enum(['token', 'cookie']),
  hub: z.object({ version: z.string() }),
});
export type SessionResponse = z.output<typeof sessionResponse>;

export const logoutResponse = z.object({ status: okStatus, logged_out: z.literal(true) });

export const agentApi = {
  listAgents: defineRoute({ method: 'GET', path: '/api/agents', access: 'token', ok: [200], response: listAgentsResponse }),
  listTokens: defineRoute({ method: 'GET', path: '/api/tokens', access: 'admin', ok: [200], response: listTokensResponse }),
  createToken: defineRoute({ method: 'POST', path: '/api/tokens', access: 'admin', body: createTokenRequest, ok: [201], response: createTokenResponse }),
  revokeToken: defineRoute({ method: 'DELETE', path: '/api/tokens/:id', access: 'admin', ok: [200], response: revokeTokenResponse }),
  createLoginLink: defineRoute({
    method: 'POST',
    path: '/api/login-links',
    access: 'admin',
    body: createLoginLinkRequest,
    ok: [201],
    response: createLoginLinkResponse,
  }),
  session: defineRoute({ method: 'GET', path: '/api/session', access: 'token', ok: [200], response: sessionResponse }),
  /** Ends the browser session whose cookie came with the request. */
  logout: defineRoute({ method: 'POST', path: '/api/logout', access: 'token', ok: [200], response: logoutResponse }),
};
