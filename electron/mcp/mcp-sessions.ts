/**
 * The hub's MCP sessions over Streamable HTTP. Each one owns a client core connected to the hub's own
 * WebSocket, an MCP server and its transport, and closes all three together: when the MCP client deletes
 * the session, the hub stops, its token is revoked, or room is needed. The number of sessions is bounded;
 * when full, the least recently used session with no request open makes room.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SwitchboardError } from '../../shared/index.js';
import { openHubClient, type HubClientOptions } from './hub-connection.js';
import { createSwitchboardMcpServer, type SwitchboardMcpServer } from './mcp-server.js';

export const MAX_MCP_SESSIONS = 32;

/** How long a closing session lets its last answers reach the client before its connection goes. */
const DRAIN_MS = 2_000;

export interface McpSession {
  readonly transport: StreamableHTTPServerTransport;
  /** The token that opened it: only that token may use it. */
  readonly tokenId: string;
  readonly lastUsed: number;
  /** True while a request's response is open (a client's SSE stream stays open). */
  readonly busy: boolean;
  /** Handles one HTTP request of this session. */
  serve(res: ServerResponse, handle: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/** `onCloseError`: a session did not close cleanly (it is gone all the same). */
export function createMcpSessions(onCloseError: (error: unknown) => void, limit = MAX_MCP_SESSIONS) {
  const sessions = new Map<string, McpSession>();
  let stopped = false;

  const build = (mcp: SwitchboardMcpServer, closeClient: () => Promise<void>, tokenId: string): McpSession => {
    let open = 0;
    let lastUsed = Date.now();
    let drained: (() => void)[] = [];
    let closing: Promise<void> | undefined;
    const allAnswered = (): Promise<void> =>
      open === 0
        ? Promise.resolve()
        : new Promise((resolve) => {
            // Ended when the answers are out, so a stopped hub leaves no timer running.
            const timer = setTimeout(resolve, DRAIN_MS).unref();
            drained.push(() => (clearTimeout(timer), resolve()));
          });
    const session: McpSession = {
      transport: new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void (stopped ? session.close() : sessions.set(id, session)),
      }),
      tokenId,
      get lastUsed() {
        return lastUsed;
      },
      get busy() {
        return open > 0;
      },
      async serve(res, handle) {
        lastUsed = Date.now();
        open++;
        res.once('close', () => {
          if (--open === 0) for (const resolve of drained.splice(0)) resolve();
        });
        await handle();
      },
      close: () =>
        // Deferred a turn so the transport's own close, which calls back here, finds it under way.
        (closing ??= Promise.resolve()
          .then(async () => {
            if (session.transport.sessionId !== undefined) sessions.delete(session.transport.sessionId);
            try {
              await mcp.close();
              await allAnswered();
            } finally {
              drained = [];
              await closeClient();
            }
          })
          .catch(onCloseError)),
    };
    return session;
  };

  return {
    get: (id: string): McpSession | undefined => sessions.get(id),

    /** Connects a client core for the caller and builds its MCP server; the session is listed once `initialize` succeeded. */
    async open(hub: HubClientOptions, tokenId: string, maxWaitSeconds: number): Promise<McpSession> {
      const client = await openHubClient(hub);
      let mcp: SwitchboardMcpServer;
      try {
        mcp = await createSwitchboardMcpServer(client, { maxWaitSeconds });
        if (stopped) {
          await mcp.close();
          throw new SwitchboardError('SB_ERR_SHUTTING_DOWN');
        }
      } catch (error) {
        await client.close();
        throw error;
      }
      const session = build(mcp, () => client.close(), tokenId);
      session.transport.onclose = () => void session.close();
      client.on('status', (status) => {
        // A revoked token closes the connection for good: the session ends with it.
        if (status === 'closed') void session.close();
      });
      await mcp.server.connect(session.transport);
      return session;
    },

    /** Makes room for one more session; false when every session has a request open. */
    async makeRoom(): Promise<boolean> {
      if (sessions.size < limit) return true;
      const idle = [...sessions.values()].filter((s) => !s.busy).sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (idle === undefined) return false;
      await idle.close();
      return true;
    },

    /** Ends every session, and any still opening, for good (the hub stops). */
    async closeAll(): Promise<void> {
      stopped = true;
      await Promise.all([...sessions.values()].map((session) => session.close()));
    },
  };
}
