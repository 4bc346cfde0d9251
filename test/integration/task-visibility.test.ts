/**
 * Who sees which task, on every route: an agent token sees the tasks it sent, was offered or holds and
 * those addressed to a role it declared; the admin token and the dashboard see all; a task out of sight
 * is "not found".
 */
import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../shared/index.js';
import { agentToken, api, openSocket, useHub, type TestClient } from '../helpers/hub.js';
import { mcpOverHttp } from '../helpers/mcp.js';
import { logIn } from '../helpers/sessions.js';
import { sendTask } from '../helpers/tasks.js';
import { eventually } from '../helpers/wait.js';

interface Scene {
  tokens: Record<string, string>;
  clients: Record<string, TestClient>;
  /** Task ids by name: toChild, toReviewer, toBuilder (all sent by master), fromChild (sent by child). */
  ids: Record<string, string>;
}

/** What each caller should see, by task name. */
const SEES: Record<string, string[]> = {
  admin: ['toChild', 'toReviewer', 'toBuilder', 'fromChild'],
  master: ['toChild', 'toReviewer', 'toBuilder'],
  child: ['toChild', 'fromChild'],
  rev: ['toReviewer'],
  flaky: ['toBuilder'],
  stranger: [],
};
const TASKS = ['toChild', 'toReviewer', 'toBuilder', 'fromChild'];

describe('who sees which task', () => {
  const ctx = useHub();

  /** Connects `agent` with a token of its own, declaring `profile` in its hello. */
  const hello = async (agent: string, token: string, profile: Record<string, unknown> = {}): Promise<TestClient> => {
    const client = ctx.track(await openSocket(ctx.hub.wsUrl));
    const welcome = await client.request({ type: 'hello', token, agent, ...profile });
    if (welcome.type !== 'welcome') throw new Error(`hello failed: ${JSON.stringify(welcome)}`);
    return client;
  };
  const taskState = async (id: string): Promise<TaskRecord> => (await api(ctx.hub, 'GET', `/api/tasks/${id}`)).body['task'] as TaskRecord;
  const online = async (agent: string): Promise<boolean> => {
    const agents = (await api(ctx.hub, 'GET', '/api/agents')).body['agents'] as { id: string; online: boolean }[];
    return agents.some((a) => a.id === agent && a.online);
  };

  /**
   * rev declared the role "reviewer" and left before anything was sent to it; flaky was offered the
   * "builder" task, went away, and came back as a "painter"; stranger declared only "tester".
   */
  const scene = async (): Promise<Scene> => {
    const tokens: Record<string, string> = { admin: ctx.hub.token };
    for (const agent of ['master', 'child', 'rev', 'flaky', 'stranger']) tokens[agent] = await agentToken(ctx.hub, agent);
    const rev = await hello('rev', tokens['rev'] ?? '', { capabilities: ['reviewer'] });
    await rev.close();
    await eventually(async () => ((await online('rev')) ? undefined : true), 'rev to go offline');
    const flakyFirst = await hello('flaky', tokens['flaky'] ?? '', { capabilities: ['builder'] });
    const clients: Record<string, TestClient> = {
      admin: await hello('person', ctx.hub.token),
      master: await hello('master', tokens['master'] ?? ''),
      child: await hello('child', tokens['child'] ?? ''),
      stranger: await hello('stranger', tokens['stranger'] ?? '', { kind: 'tester' }),
    };
    const master = clients['master'] as TestClient;
    const ids: Record<string, string> = {
      toChild: (await sendTask(master, { to: 'child', cmd: 'a' })).task_id,
      toReviewer: (await sendTask(master, { to: 'reviewer', cmd: 'b' })).task_id,
      toBuilder: (await sendTask(master, { to: 'builder', cmd: 'c' })).task_id,
      fromChild: (await sendTask(clients['child'] as TestClient, { to: 'nobody', cmd: 'd' })).task_id,
    };
    await clients['child']?.next((f) => f.type === 'task_assigned' && (f['task'] as TaskRecord).task_id === ids['toChild']);
    await flakyFirst.next((f) => f.type === 'task_assigned' && (f['task'] as TaskRecord).task_id === ids['toBuilder']);
    await flakyFirst.close();
    await eventually(async () => ((await taskState(ids['toBuilder'] ?? '')).assigned_to === null ? true : undefined), 'the offer to come back');
    clients['flaky'] = await hello('flaky', tokens['flaky'] ?? '', { capabilities: ['painter'] });
    return { tokens, clients, ids };
  };

  const namesOf = (scene: Scene, tasks: TaskRecord[]): string[] => TASKS.filter((name) => tasks.some((t) => t.task_id === scene.ids[name]));

  it('task_list and task_get on the WebSocket show each agent only its tasks, and others are not found', async () => {
    const s = await scene();
    const seen: Record<string, { list: string[]; get: string[] }> = {};
    for (const [who, client] of Object.entries(s.clients)) {
      const list = await client.request({ type: 'task_list', limit: 100 });
      const get: string[] = [];
      for (const name of TASKS) get.push(`${name}:${String((await client.request({ type: 'task_get', task_id: s.ids[name] }))['code'] ?? 'found')}`);
      seen[who] = { list: namesOf(s, list['tasks'] as TaskRecord[]), get };
    }
    const expected = Object.fromEntries(
      Object.keys(s.clients).map((who) => [
        who,
        { list: SEES[who], get: TASKS.map((name) => `${name}:${SEES[who]?.includes(name) === true ? 'found' : 'SB_ERR_NOT_FOUND'}`) },
      ]),
    );
    expect(seen).toEqual(expected);
  });

  it('GET /api/tasks lists and counts only the caller’s tasks; the admin token and the dashboard session see all', async () => {
    const s = await scene();
    const cookie = await logIn(ctx.hub);
    const callers: Record<string, { token: string | null; headers?: Record<string, string> }> = {
      ...Object.fromEntries(Object.entries(s.tokens).map(([who, token]) => [who, { token }])),
      dashboard: { token: null, headers: { cookie } },
    };
    const seen: Record<string, { tasks: string[]; total: number }> = {};
    for (const [who, options] of Object.entries(callers)) {
      const { body } = await api(ctx.hub, 'GET', '/api/tasks', options);
      const counts = Object.values(body['counts'] as Record<string, number>).reduce((a, b) => a + b, 0);
      seen[who] = { tasks: namesOf(s, body['tasks'] as TaskRecord[]), total: counts };
    }
    const expected = Object.fromEntries(Object.keys(callers).map((who) => [who, { tasks: SEES[who] ?? TASKS, total: (SEES[who] ?? TASKS).length }]));
    expect(seen).toEqual(expected);
  });

  it('GET /api/tasks/<id> and GET /api/relay/task-status/<id> answer 404 for a task the caller may not see', async () => {
    const s = await scene();
    const seen: Record<string, string[]> = {};
    for (const [who, token] of Object.entries(s.tokens)) {
      const row: string[] = [];
      for (const name of TASKS) {
        const rest = await api(ctx.hub, 'GET', `/api/tasks/${s.ids[name]}`, { token });
        const seed = await api(ctx.hub, 'GET', `/api/relay/task-status/${s.ids[name]}`, { token: null, headers: { 'x-relay-api-key': token } });
        row.push(`${name}:${rest.status}/${seed.status}`);
      }
      seen[who] = row;
    }
    const expected = Object.fromEntries(
      Object.keys(s.tokens).map((who) => [who, TASKS.map((name) => `${name}:${SEES[who]?.includes(name) === true ? '200/200' : '404/404'}`)]),
    );
    const refused = await api(ctx.hub, 'GET', `/api/tasks/${s.ids['toChild']}`, { token: s.tokens['stranger'] ?? '' });
    expect(seen).toEqual(expected);
    expect(refused.body).toEqual({ status: 'error', error: { code: 'SB_ERR_NOT_FOUND', message: `no task "${s.ids['toChild']}"` } });
  });

  it('subscribe {tasks: true} pushes task_updated only for tasks the watcher may see', async () => {
    const s = await scene();
    const watchers = ['admin', 'child', 'flaky', 'stranger'];
    const from: Record<string, number> = {};
    for (const who of watchers) {
      const client = s.clients[who] as TestClient;
      await client.request({ type: 'subscribe', tasks: true });
      from[who] = client.frames.length;
    }
    const master = s.clients['master'] as TestClient;
    for (const name of ['toChild', 'toReviewer', 'toBuilder']) await master.request({ type: 'task_cancel', task_id: s.ids[name] });
    const pushed: Record<string, string[]> = {};
    for (const who of watchers) {
      const client = s.clients[who] as TestClient;
      await client.request({ type: 'ping', timestamp: 0 });
      const updates = client.frames.slice(from[who]).filter((f) => f.type === 'task_updated' && f['event'] === 'canceled');
      pushed[who] = namesOf(
        s,
        updates.map((f) => f['task'] as TaskRecord),
      );
    }
    expect(pushed).toEqual({ admin: ['toChild', 'toReviewer', 'toBuilder'], child: ['toChild'], flaky: ['toBuilder'], stranger: [] });
  });

  it('the MCP get_task tool follows the same rule', async () => {
    const s = await scene();
    const stranger = await mcpOverHttp(ctx.hub, { token: s.tokens['stranger'] ?? '' });
    const rev = await mcpOverHttp(ctx.hub, { token: s.tokens['rev'] ?? '' });
    try {
      const id = s.ids['toReviewer'] ?? '';
      const refused = await stranger.fail('get_task', { task_id: id });
      const waited = await stranger.fail('get_task', { task_id: id, wait_seconds: 1 });
      const found = ((await rev.call('get_task', { task_id: id }))['task'] as TaskRecord).task_id;
      const notFound = { code: 'SB_ERR_NOT_FOUND', message: `no task "${id}"` };
      expect({ refused, waited, found }).toEqual({ refused: notFound, waited: notFound, found: id });
    } finally {
      await stranger.close();
      await rev.close();
    }
  });

  it('a stranger cannot learn that a task exists by acting on it: cancel, answer, retry and result are not found', async () => {
    const s = await scene();
    const stranger = s.clients['stranger'] as TestClient;
    const id = s.ids['toChild'];
    const tries = [
      await stranger.request({ type: 'task_cancel', task_id: id }),
      await stranger.request({ type: 'task_input', task_id: id, answer: 'x' }),
      await stranger.request({ type: 'task_retry', task_id: id }),
      await stranger.request({ type: 'task_accept', task_id: id }),
    ];
    const seedResult = await api(ctx.hub, 'POST', '/api/relay/callback', {
      token: s.tokens['stranger'] ?? '',
      body: { task_id: id, status: 'done', result: 'stolen' },
    });
    expect({ tries: tries.map((t) => t['code']), seed: seedResult.status, state: (await taskState(id ?? '')).state }).toEqual({
      tries: ['SB_ERR_NOT_FOUND', 'SB_ERR_NOT_FOUND', 'SB_ERR_NOT_FOUND', 'SB_ERR_NOT_FOUND'],
      seed: 404,
      state: 'submitted',
    });
  });
});
