/**
 * `/mcp`: the MCP endpoint (Streamable HTTP, stateful). The router has already checked Host, Origin and
 * the token; here a session is opened by `initialize`, used only with the token that opened it, and speaks
 * as one agent: an agent token's own, or for the admin token the one named with the request, else the
 * MCP client's name.
 */
import { HubError } from '../../../shared/client/index.js';
import { agentName, isHubErrorCode, SwitchboardError } from '../../../shared/index.js';
import type { Identity } from '../ws/connection.js';
import { rawRoute, requireIdentity, type Route, type RouteContext } from './http-router.js';
import type { HubServices } from '../services.js';
import type { McpSession } from '../../mcp/index.js';

/** The MCP SDK and what is built on it: loaded by the first /mcp request, not by every hub start and CLI command. */
async function loadMcp() {
  return import('../../mcp/index.js');
}
type Mcp = Awaited<ReturnType<typeof loadMcp>>;

export interface McpEndpoint {
  routes: Route[];
  /** Ends every session (before the hub closes its WebSockets). */
  close(): Promise<void>;
}

/** The agent named by `X-Switchboard-Agent`, `?agent=` or `X-Agent-Name`, checked like every agent name. */
function requestedAgent(ctx: RouteContext): string | undefined {
  const header = (name: string): string | undefined => {
    const value = ctx.req.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const named = header('x-switchboard-agent') ?? ctx.query.get('agent') ?? header('x-agent-name');
  if (named === undefined) return undefined;
  const parsed = agentName.safeParse(named);
  if (!parsed.success) throw new SwitchboardError('SB_ERR_VALIDATION', `invalid agent name "${named}": ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

export function createMcpEndpoint(s: Pick<HubServices, 'auth' | 'config' | 'logger'>, hubUrl: () => string): McpEndpoint {
  let loaded: Promise<{ mcp: Mcp; sessions: ReturnType<Mcp['createMcpSessions']> }> | undefined;
  let closed = false;
  const load = (): NonNullable<typeof loaded> => {
    if (closed) return Promise.reject(new SwitchboardError('SB_ERR_SHUTTING_DOWN', 'the hub is stopping'));
    loaded ??= loadMcp().then((mcp) => ({
      mcp,
      sessions: mcp.createMcpSessions((error) => s.logger.warn('an MCP session did not close cleanly', { error: String(error) })),
    }));
    return loaded;
  };

  /** A refusal from the hub's WebSocket keeps its code; anything else is logged as a bug. */
  const asHubError = (error: unknown): SwitchboardError => {
    if (error instanceof SwitchboardError) return error;
    if (error instanceof HubError && isHubErrorCode(error.code)) return new SwitchboardError(error.code, error.message);
    s.logger.error('an MCP session could not be opened', { error: error instanceof Error ? error.message : String(error) });
    return new SwitchboardError('SB_ERR_INTERNAL', 'the MCP session could not be opened');
  };

  const open = async (ctx: RouteContext, identity: Identity, body: unknown): Promise<McpSession> => {
    const { mcp, sessions } = await load();
    const initialize = mcp.initializeRequestIn(body);
    if (ctx.req.method !== 'POST' || initialize === undefined) {
      throw new SwitchboardError('SB_ERR_VALIDATION', 'no Mcp-Session-Id header: start a session with an initialize request (POST)');
    }
    const requested = requestedAgent(ctx);
    if (!identity.admin && requested !== undefined && requested !== identity.agent) {
      throw new SwitchboardError('SB_ERR_FORBIDDEN', `this token belongs to agent "${identity.agent}" and cannot act as "${requested}"`);
    }
    if (!(await sessions.makeRoom())) {
      throw new SwitchboardError(
        'SB_ERR_TOO_MANY_CONNECTIONS',
        `all ${mcp.MAX_MCP_SESSIONS} MCP sessions have a request open; end one (DELETE /mcp) or try again later`,
      );
    }
    const { clientInfo } = initialize.params;
    const hub = {
      url: hubUrl(),
      token: s.auth.credentialFromHeaders(ctx.req.headers)?.secret ?? '',
      ...(identity.admin ? { agent: requested ?? mcp.agentFromClientName(clientInfo.name) } : {}),
      profile: mcp.profileFor(clientInfo),
    };
    return sessions.open(hub, identity.tokenId, s.config.maxWaitSeconds).catch((error: unknown) => Promise.reject(asHubError(error)));
  };

  const handle = async (ctx: RouteContext): Promise<void> => {
    const identity = requireIdentity(ctx);
    if (identity.via !== 'token') {
      throw new SwitchboardError('SB_ERR_AUTH', 'the MCP endpoint needs a token: Authorization: Bearer <token> (switchboard token create <agent>)');
    }
    const body = ctx.req.method === 'POST' ? await ctx.body() : undefined;
    const id = ctx.req.headers['mcp-session-id'];
    let session: McpSession;
    if (typeof id === 'string') {
      const found = (await load()).sessions.get(id);
      if (found === undefined) throw new SwitchboardError('SB_ERR_NOT_FOUND', `no MCP session "${id}": it ended or the hub restarted; initialize a new one`);
      if (found.tokenId !== identity.tokenId) throw new SwitchboardError('SB_ERR_FORBIDDEN', 'this MCP session was opened with another token');
      session = found;
    } else {
      session = await open(ctx, identity, body);
    }
    await session.serve(ctx.res, () => session.transport.handleRequest(ctx.req, ctx.res, body));
    // An initialize the MCP server refused (e.g. an unknown protocol version) leaves no session behind.
    if (session.transport.sessionId === undefined) await session.close();
  };

  return {
    routes: (['POST', 'GET', 'DELETE'] as const).map((method) => rawRoute({ method, path: '/mcp', access: 'token', handle })),
    async close() {
      closed = true;
      await (await loaded)?.sessions.closeAll();
    },
  };
}
