/** The /mcp endpoint's own rules: the hub's token and Origin checks, whom a session speaks as, and when sessions end. */
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../shared/index.js';
import { api, useHub, type TestHub } from '../helpers/hub.js';
import { hubHandles, mcpOverHttp, type McpClientOptions, type TestMcp } from '../helpers/mcp.js';
import { MAX_MCP_SESSIONS } from '../../electron/mcp/mcp-sessions.js';
import { errorBody } from '../helpers/raw-http.js';
import { logIn } from '../helpers/sessions.js';
import { eventually } from '../helpers/wait.js';

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

/** A POST to /mcp as an MCP client sends it; the body of a refusal is the hub's JSON error. */
async function postMcp(
  hub: TestHub,
  headers: Record<string, string>,
  options: { query?: string; body?: unknown } = {},
): Promise<{ status: number; body: unknown; session?: string }> {
  const response = await fetch(`${hub.http}/mcp${options.query ?? ''}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(options.body ?? initialize),
  });
  const text = await response.text();
  const session = response.headers.get('mcp-session-id');
  const body = response.headers.get('content-type')?.startsWith('application/json') === true ? JSON.parse(text) : text;
  return { status: response.status, body, ...(session === null ? {} : { session }) };
}

async function createToken(hub: TestHub, agent: string): Promise<{ id: string; token: string }> {
  return (await api(hub, 'POST', '/api/tokens', { body: { agent } })).body['token'] as { id: string; token: string };
}

const online = async (hub: TestHub): Promise<string[]> =>
  ((await api(hub, 'GET', '/api/agents')).body['agents'] as { id: string; online: boolean }[]).filter((a) => a.online).map((a) => a.id);

describe('the /mcp endpoint', () => {
  const fixture = useHub();
  const opened: TestMcp[] = [];
  afterEach(async () => {
    for (const mcp of opened.splice(0)) await mcp.close().catch(() => {});
  });
  const mcp = async (options: McpClientOptions = {}): Promise<TestMcp> => {
    const client = await mcpOverHttp(fixture.hub, options);
    opened.push(client);
    return client;
  };

  it('refuses a missing or wrong token with 401, a browser session with 401, and a foreign Origin with 403', async () => {
    const { hub } = fixture;
    const bearer = { authorization: `Bearer ${hub.token}` };
    expect([
      await postMcp(hub, {}),
      await postMcp(hub, { authorization: 'Bearer sb_wrong' }),
      await postMcp(hub, { cookie: await logIn(hub) }),
      await postMcp(hub, { ...bearer, origin: 'http://evil.example' }),
    ]).toEqual([
      { status: 401, body: errorBody('SB_ERR_AUTH', 'a token is required') },
      { status: 401, body: errorBody('SB_ERR_AUTH', 'the token is wrong or was revoked') },
      { status: 401, body: errorBody('SB_ERR_AUTH', 'the MCP endpoint needs a token: Authorization: Bearer <token> (switchboard token create <agent>)') },
      { status: 403, body: errorBody('SB_ERR_ORIGIN', 'requests from Origin "http://evil.example" are not allowed; add it to allowedOrigins to permit it') },
    ]);
    expect(await online(hub)).toEqual([]);
  });

  it('speaks as the MCP client, as ?agent= or X-Switchboard-Agent with the admin token, and as its own agent with an agent token', async () => {
    const { hub } = fixture;
    const coder = await createToken(hub, 'coder');
    const clients = [
      await mcp({ name: 'Claude Code' }),
      await mcp({ query: '?agent=helper' }),
      await mcp({ headers: { 'x-switchboard-agent': 'reviewer' } }),
      await mcp({ token: coder.token, name: 'Some Editor' }),
    ];
    for (const client of clients) await client.call('send_message', { conversation: 'who', content: 'hi' });
    const page = await clients[0]?.call('read_messages', { conversation: 'who' });
    expect((page?.['messages'] as StoredMessage[]).map((m) => m.sender)).toEqual(['claude-code', 'helper', 'reviewer', 'coder']);
    expect([
      await postMcp(hub, { authorization: `Bearer ${coder.token}` }, { query: '?agent=other' }),
      await postMcp(hub, { authorization: `Bearer ${hub.token}` }, { query: '?agent=no%20spaces' }),
    ]).toEqual([
      { status: 403, body: errorBody('SB_ERR_FORBIDDEN', 'this token belongs to agent "coder" and cannot act as "other"') },
      {
        status: 400,
        body: errorBody('SB_ERR_VALIDATION', 'invalid agent name "no spaces": use letters, digits, ".", "_", "@" and "-", starting with a letter or digit'),
      },
    ]);
  });

  it('ends a session the client deletes; its id is then unknown, and no other token may use a live one', async () => {
    const { hub } = fixture;
    const leaving = await mcp({ query: '?agent=leaving' });
    const staying = await mcp({ query: '?agent=staying' });
    const sessionOf = (client: TestMcp): string => (client.client.transport as StreamableHTTPClientTransport).sessionId ?? '';
    const ended = sessionOf(leaving);
    await (leaving.client.transport as StreamableHTTPClientTransport).terminateSession();
    await eventually(async () => ((await online(hub)).includes('leaving') ? undefined : true), 'the agent to go offline');
    const list = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
    const other = await createToken(hub, 'other');
    expect([
      await postMcp(hub, { authorization: `Bearer ${hub.token}`, 'mcp-session-id': ended }, { body: list }),
      await postMcp(hub, { authorization: `Bearer ${other.token}`, 'mcp-session-id': sessionOf(staying) }, { body: list }),
      await postMcp(hub, { authorization: `Bearer ${hub.token}` }, { body: list }),
    ]).toEqual([
      { status: 404, body: errorBody('SB_ERR_NOT_FOUND', `no MCP session "${ended}": it ended or the hub restarted; initialize a new one`) },
      { status: 403, body: errorBody('SB_ERR_FORBIDDEN', 'this MCP session was opened with another token') },
      { status: 400, body: errorBody('SB_ERR_VALIDATION', 'no Mcp-Session-Id header: start a session with an initialize request (POST)') },
    ]);
    expect(await online(hub)).toEqual(['staying']);
  });

  it('ends the session of a revoked token', async () => {
    const { hub } = fixture;
    const coder = await createToken(hub, 'coder');
    const client = await mcp({ token: coder.token });
    const session = (client.client.transport as StreamableHTTPClientTransport).sessionId ?? '';
    await api(hub, 'DELETE', `/api/tokens/${coder.id}`);
    await eventually(async () => ((await online(hub)).includes('coder') ? undefined : true), 'the agent to go offline');
    expect(
      await postMcp(hub, { authorization: `Bearer ${hub.token}`, 'mcp-session-id': session }, { body: { jsonrpc: '2.0', id: 2, method: 'tools/list' } }),
    ).toEqual({
      status: 404,
      body: errorBody('SB_ERR_NOT_FOUND', `no MCP session "${session}": it ended or the hub restarted; initialize a new one`),
    });
  });

  it('keeps at most 32 sessions: a new one closes the least recently used one with no request open', async () => {
    const { hub } = fixture;
    const admin = { authorization: `Bearer ${hub.token}` };
    const opened: string[] = [];
    for (let i = 0; i <= MAX_MCP_SESSIONS; i++) opened.push((await postMcp(hub, admin, { query: `?agent=s${i}` })).session ?? '');
    const list = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
    const [first, second] = [opened[0] ?? '', opened[1] ?? ''];
    const status = async (session: string): Promise<number> => (await postMcp(hub, { ...admin, 'mcp-session-id': session }, { body: list })).status;
    expect([await status(first), await status(second)]).toEqual([404, 200]);
    await eventually(async () => ((await online(hub)).includes('s0') ? undefined : true), 'the evicted agent to go offline');
    expect((await online(hub)).length).toBe(MAX_MCP_SESSIONS);
  });

  it('closes its sessions when the hub stops: a wait in progress answers with what it has', async () => {
    const { hub } = fixture;
    const client = await mcp({ query: '?agent=waiter' });
    const started = hubHandles(hub, 'history');
    const waiting = client.call('wait_for_messages', { conversation: 'general', after_seq: 0, timeout_seconds: 30 });
    await started();
    await hub.stop();
    expect(await waiting).toEqual({ messages: [], next_after_seq: 0, timed_out: true });
  });
});
