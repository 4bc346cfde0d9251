/**
 * Approval of new agents (`approveNewAgents`): the first connection of an unknown agent name waits after
 * its hello until an admin allows or denies the name over HTTP; the decision is remembered, also across a
 * restart. Known names, agent-bound tokens and the admin itself never wait.
 */
import { realpathSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { shortCommand, type AgentListing, type ApprovalRequest, type ListApprovalsResponse } from '../../shared/index.js';
import { MAX_PENDING_NAMES, MAX_WAITING_CONNECTIONS } from '../../electron/hub/approval/agent-approvals.js';
import { agentToken, api, connectAgent, openSocket, startHub, tempFolders, useHub, type TestClient, type TestHub } from '../helpers/hub.js';
import { eventually } from '../helpers/wait.js';
import { connect, HubError } from '../../sdk/index.js';
import { mcpOverHttp } from '../helpers/mcp.js';

const folder = tempFolders();

/** Opens a socket and says hello as `agent` with the admin token (what a zero-configuration agent does). */
async function hello(hub: TestHub, agent: string): Promise<TestClient> {
  const client = await openSocket(hub.wsUrl);
  client.send({ type: 'hello', id: 'hello', token: hub.token, agent });
  return client;
}

async function approvals(hub: TestHub): Promise<ListApprovalsResponse> {
  return (await api(hub, 'GET', '/api/approvals')).body as unknown as ListApprovalsResponse;
}

/** The waiting request for `agent`, once the hub has found the process behind it. */
async function pendingRequest(hub: TestHub, agent: string): Promise<ApprovalRequest> {
  return eventually(async () => {
    const request = (await approvals(hub)).pending.find((pending) => pending.agent === agent);
    return request !== undefined && !('unknown' in request.process && request.process.reason === 'still looking') ? request : undefined;
  }, `a pending request for ${agent}`);
}

describe('with approveNewAgents on', () => {
  const ctx = useHub({ approveNewAgents: true });

  it('keeps a new agent name waiting after hello, names the process behind it, and lets it in once an admin approves', async () => {
    const planner = ctx.track(await hello(ctx.hub, 'planner'));
    const waitingFrame = await planner.next('approval_pending');
    expect(waitingFrame).toEqual({
      type: 'approval_pending',
      re: 'hello',
      agent: 'planner',
      timeout_ms: 120_000,
      message: 'agent "planner" is new to this hub: waiting for the person at this machine to allow it (up to 120 s)',
    });
    const request = await pendingRequest(ctx.hub, 'planner');
    const command = [process.execPath, ...process.execArgv, ...process.argv.slice(1)].join(' ');
    expect(request.process).toEqual({ pid: process.pid, command, executable: realpathSync(process.execPath) });
    expect(request.prompt).toBe(`planner (${shortCommand(command)}, pid ${process.pid}) wants to connect`);
    expect(request.prompt).toMatch(/^planner \(node .*, pid \d+\) wants to connect$/);
    expect(request.waiting).toBe(1);
    // Nothing it sends is handled while it waits, and it is not online.
    const refused = await planner.request({ type: 'send_message', conversation_id: 'general', content: 'hi' });
    expect(refused).toMatchObject({ type: 'error', code: 'SB_ERR_NOT_APPROVED' });
    expect(planner.frames.some((frame) => frame.type === 'welcome')).toBe(false);
    const agents = (await api(ctx.hub, 'GET', '/api/agents')).body['agents'] as { id: string }[];
    expect(agents.map((agent) => agent.id)).not.toContain('planner');

    const approved = await api(ctx.hub, 'POST', '/api/agents/planner/approve');
    expect(approved).toMatchObject({
      status: 200,
      body: { status: 'ok', approval: { agent: 'planner', decision: 'approved', decided_by: 'user' }, settled: 1 },
    });
    expect(await planner.next('welcome')).toMatchObject({ re: 'hello', agent: { id: 'planner' } });
    // Let in, it is an agent like any other: online, with the process behind it.
    await eventually(async () => {
      const listed = (await api(ctx.hub, 'GET', '/api/agents')).body['agents'] as AgentListing[];
      return listed.find((agent) => agent.id === 'planner')?.processes.some((found) => 'pid' in found && found.pid === process.pid) === true ? true : undefined;
    }, 'planner listed with its process');
    expect((await approvals(ctx.hub)).pending).toEqual([]);
    // Remembered: the next connection is let in at once.
    ctx.track(await connectAgent(ctx.hub, 'planner'));
    const audit = (await api(ctx.hub, 'GET', '/api/relay/logs?limit=50')).body;
    expect(JSON.stringify(audit)).toContain('agent_approved');
  });

  it('gives every connection waiting for the same name the decision', async () => {
    const first = ctx.track(await hello(ctx.hub, 'coder'));
    const second = ctx.track(await hello(ctx.hub, 'coder'));
    await first.next('approval_pending');
    await second.next('approval_pending');
    expect((await pendingRequest(ctx.hub, 'coder')).waiting).toBe(2);
    expect((await api(ctx.hub, 'POST', '/api/agents/coder/approve')).body['settled']).toBe(2);
    await first.next('welcome');
    await second.next('welcome');
  });

  it('closes a denied name with SB_ERR_DENIED, refuses it at once later, and lets it in once approved after all', async () => {
    const intruder = ctx.track(await hello(ctx.hub, 'intruder'));
    await intruder.next('approval_pending');
    expect((await api(ctx.hub, 'POST', '/api/agents/intruder/deny')).body).toMatchObject({ approval: { decision: 'denied' }, settled: 1 });
    expect(await intruder.next('error')).toMatchObject({ re: 'hello', code: 'SB_ERR_DENIED', message: 'the person at this machine denied agent "intruder"' });
    expect((await intruder.waitClosed()).code).toBe(4003);

    const again = ctx.track(await hello(ctx.hub, 'intruder'));
    expect(await again.next('error')).toMatchObject({ code: 'SB_ERR_DENIED' });
    expect((await again.waitClosed()).code).toBe(4003);
    expect(again.frames.map((frame) => frame.type)).toEqual(['error']);

    await api(ctx.hub, 'POST', '/api/agents/intruder/approve');
    ctx.track(await connectAgent(ctx.hub, 'intruder'));
  });

  it('never holds the admin acting as itself, an agent-bound token, or an observer', async () => {
    const admin = ctx.track(await openSocket(ctx.hub.wsUrl));
    expect(await admin.request({ type: 'hello', token: ctx.hub.token })).toMatchObject({ type: 'welcome', agent: { id: 'user' } });
    ctx.track(await connectAgent(ctx.hub, 'worker', await agentToken(ctx.hub, 'worker')));
    const observer = ctx.track(await openSocket(ctx.hub.wsUrl));
    expect(await observer.request({ type: 'hello', token: ctx.hub.token, agent: 'tail', observer: true })).toMatchObject({ type: 'welcome' });
    expect((await approvals(ctx.hub)).pending).toEqual([]);
  });

  it('refuses HTTP requests acting as a new name with SB_ERR_NOT_APPROVED and asks the person, then accepts them once approved', async () => {
    const post = () => api(ctx.hub, 'POST', '/api/messages', { headers: { 'x-agent-name': 'poller' }, body: { conversation_id: 'general', content: 'tick' } });
    const refused = await post();
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'SB_ERR_NOT_APPROVED' } } });
    expect(await pendingRequest(ctx.hub, 'poller')).toMatchObject({ agent: 'poller', waiting: 0 });
    await api(ctx.hub, 'POST', '/api/agents/poller/approve');
    expect((await post()).status).toBe(201);
  });

  it('lets only admins list, approve and deny', async () => {
    const token = await agentToken(ctx.hub, 'worker');
    for (const [method, path] of [
      ['GET', '/api/approvals'],
      ['POST', '/api/agents/worker/approve'],
      ['POST', '/api/agents/someone/deny'],
    ] as const) {
      expect(await api(ctx.hub, method, path, { token })).toMatchObject({ status: 403, body: { error: { code: 'SB_ERR_FORBIDDEN' } } });
    }
  });

  it('pushes the waiting names to the dashboard’s live link (admins watching alerts)', async () => {
    const dashboard = ctx.track(await connectAgent(ctx.hub, 'user'));
    await dashboard.request({ type: 'subscribe', alerts: true });
    expect(await dashboard.next('approval_requests')).toEqual({ type: 'approval_requests', pending: [] });
    ctx.track(await hello(ctx.hub, 'reviewer'));
    const pushed = await dashboard.next((frame) => frame.type === 'approval_requests' && JSON.stringify(frame).includes(`pid ${process.pid}`));
    expect(pushed['pending']).toEqual([expect.objectContaining({ agent: 'reviewer', waiting: 1 })]);
    await api(ctx.hub, 'POST', '/api/agents/reviewer/approve');
    expect(await dashboard.next('approval_requests')).toEqual({ type: 'approval_requests', pending: [] });
  });

  it('forgets an approved name on request, so it asks again', async () => {
    await api(ctx.hub, 'POST', '/api/agents/helper/approve');
    ctx.track(await connectAgent(ctx.hub, 'helper'));
    expect((await api(ctx.hub, 'DELETE', '/api/approvals/helper')).body).toEqual({ status: 'ok', agent: 'helper', forgotten: true });
    const again = ctx.track(await hello(ctx.hub, 'helper'));
    await again.next('approval_pending');
  });

  it(`keeps at most ${MAX_WAITING_CONNECTIONS} connections and ${MAX_PENDING_NAMES} names waiting; more are refused`, async () => {
    const names = Array.from({ length: MAX_PENDING_NAMES }, (_, i) => `name-${i}`);
    for (const name of names) await ctx.track(await hello(ctx.hub, name)).next('approval_pending');
    const oneNameTooMany = ctx.track(await hello(ctx.hub, 'one-too-many'));
    expect(await oneNameTooMany.next('error')).toMatchObject({
      code: 'SB_ERR_TOO_MANY_CONNECTIONS',
      message: `${MAX_PENDING_NAMES} agent names are already waiting for approval; try again later`,
    });
    for (let i = MAX_PENDING_NAMES; i < MAX_WAITING_CONNECTIONS; i++) await ctx.track(await hello(ctx.hub, 'name-0')).next('approval_pending');
    const oneConnectionTooMany = ctx.track(await hello(ctx.hub, 'name-1'));
    expect(await oneConnectionTooMany.next('error')).toMatchObject({ code: 'SB_ERR_TOO_MANY_CONNECTIONS' });
    expect((await oneConnectionTooMany.waitClosed()).code).toBe(1013);
  });
});

describe('agents built on the SDK and coding assistants over MCP', () => {
  const ctx = useHub({ approveNewAgents: true });

  it('the SDK says the agent waits, connects once approved, and stops for good, without reconnecting, once denied', async () => {
    const lines: string[] = [];
    const options = { url: ctx.hub.wsUrl, token: ctx.hub.token, stateDir: false as const, warn: (line: string) => lines.push(line) };
    const approved = connect({ ...options, agent: 'sdk-planner' });
    await eventually(() => (lines.length > 0 ? true : undefined), 'a warning');
    expect(lines).toEqual(['switchboard: agent "sdk-planner" is new to this hub: waiting for the person at this machine to allow it (up to 120 s)\n']);
    await api(ctx.hub, 'POST', '/api/agents/sdk-planner/approve');
    const agent = await approved;
    expect(agent.status).toBe('connected');
    await agent.close();

    const denied = connect({ ...options, agent: 'sdk-intruder' }).catch((error: unknown) => error);
    await pendingRequest(ctx.hub, 'sdk-intruder');
    await api(ctx.hub, 'POST', '/api/agents/sdk-intruder/deny');
    const error = await denied;
    expect(error).toBeInstanceOf(HubError);
    expect(error).toMatchObject({ code: 'SB_ERR_DENIED', message: 'the person at this machine denied agent "sdk-intruder"' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    // One hello, one refusal: no reconnect hammering the hub.
    const helloes = ctx.hub.hub.services.frameCounts.get('hello');
    expect(lines.at(-1)).toBe(
      'switchboard: the hub refused this agent for good (SB_ERR_DENIED: the person at this machine denied agent "sdk-intruder"); it does not reconnect\n',
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(ctx.hub.hub.services.frameCounts.get('hello')).toBe(helloes);
  });

  it('refuses an MCP session for a new agent name at once with SB_ERR_NOT_APPROVED, asks the person, and opens it once allowed', async () => {
    const refused = await mcpOverHttp(ctx.hub, { name: 'Code Helper' }).catch((error: unknown) => error);
    expect(String(refused)).toContain('SB_ERR_NOT_APPROVED');
    expect(await pendingRequest(ctx.hub, 'code-helper')).toMatchObject({ agent: 'code-helper' });
    await api(ctx.hub, 'POST', '/api/agents/code-helper/approve');
    const assistant = await mcpOverHttp(ctx.hub, { name: 'Code Helper' });
    await assistant.close();
  });
});

describe('the wait', () => {
  const ctx = useHub({ approveNewAgents: true, approvalTimeoutMs: 1000 });

  it('ends with SB_ERR_APPROVAL_TIMEOUT when nobody decides in time, and the request is dropped', async () => {
    const planner = ctx.track(await hello(ctx.hub, 'planner'));
    await planner.next('approval_pending');
    expect(await planner.next('error', { timeoutMs: 3000 })).toEqual({
      type: 'error',
      re: 'hello',
      code: 'SB_ERR_APPROVAL_TIMEOUT',
      message: 'nobody allowed agent "planner" within 1 s; ask the person at this machine to allow it, then connect again',
    });
    expect((await planner.waitClosed()).code).toBe(4008);
    await eventually(async () => ((await approvals(ctx.hub)).pending.length === 0 ? true : undefined), 'the request dropped');
  });
});

describe('switching approveNewAgents on', () => {
  it('never holds the names that connected before, also after a restart, and an approval is remembered across restarts', async () => {
    const dataDir = folder();
    const off = await startHub({ dataDir });
    await (await connectAgent(off, 'veteran')).close();
    expect((await api(off, 'PUT', '/api/settings', { body: { approveNewAgents: true } })).body).toMatchObject({ restart_required: [] });
    // On at once: a new name waits, the veteran does not.
    const newcomer = await hello(off, 'newcomer');
    await newcomer.next('approval_pending');
    await api(off, 'POST', '/api/agents/newcomer/approve');
    await newcomer.next('welcome');
    await newcomer.close();

    // The host reads settings.json at start (see `switchboard serve`): it now says so.
    expect((await api(off, 'GET', '/api/settings')).body).toMatchObject({ effective: { approveNewAgents: true }, file: { approveNewAgents: true } });
    await off.stop();

    const on = await startHub({ dataDir, approveNewAgents: true });
    try {
      for (const name of ['veteran', 'newcomer']) await (await connectAgent(on, name)).close();
      expect((await approvals(on)).decisions).toEqual([
        expect.objectContaining({ agent: 'newcomer', decision: 'approved', decided_by: 'user' }),
        expect.objectContaining({ agent: 'veteran', decision: 'approved', decided_by: 'approval off' }),
      ]);
    } finally {
      await on.stop();
    }
  });

  it('lets every new name in while the setting is off (the default)', async () => {
    const hub = await startHub();
    try {
      expect((await approvals(hub)).enabled).toBe(false);
      await (await connectAgent(hub, 'anyone')).close();
    } finally {
      await hub.stop();
    }
  });
});
