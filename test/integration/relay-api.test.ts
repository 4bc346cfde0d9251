/**
 * The seed's relay API over real HTTP, exactly as its curl examples call it (the hub's token as the
 * X-Relay-API-Key), a polling worker that never opens a socket, and the REST tasks API.
 */
import { describe, expect, it } from 'vitest';
import type { TaskAttempt, TaskRecord } from '../../shared/index.js';
import { agentToken, api, useHub, type TestClient } from '../helpers/hub.js';
import { rawRequest, type RawResponse } from '../helpers/raw-http.js';
import { connectWorker, outcomes } from '../helpers/tasks.js';

const ctx = useHub();

/** One call the way curl makes it: the key in X-Relay-API-Key, a JSON text body, and only the headers given. */
function relay(method: 'GET' | 'POST', path: string, options: { key?: string; body?: string; contentType?: string | null } = {}): Promise<RawResponse> {
  const headers: Record<string, string> = { 'X-Relay-API-Key': options.key ?? ctx.hub.token };
  const contentType = options.contentType === undefined ? 'application/json' : options.contentType;
  if (options.body !== undefined && contentType !== null) headers['Content-Type'] = contentType;
  return rawRequest(ctx.hub.port, { method, path, headers, ...(options.body === undefined ? {} : { body: options.body }) });
}

const bodyOf = (response: RawResponse): Record<string, unknown> => response.body as Record<string, unknown>;

async function send(task: Record<string, unknown>, key?: string): Promise<string> {
  const response = await relay('POST', '/api/relay/send', { body: JSON.stringify(task), ...(key === undefined ? {} : { key }) });
  expect(response).toMatchObject({ status: 200, body: { status: 'ok' } });
  return bodyOf(response)['task_id'] as string;
}

const taskStatus = async (taskId: string): Promise<Record<string, unknown>> => bodyOf(await relay('GET', `/api/relay/task-status/${taskId}`));

const worker = async (agent: string, profile: { kind?: string } = {}): Promise<TestClient> => ctx.track(await connectWorker(ctx.hub, agent, profile));

describe('seed relay API', () => {
  it('sends a task exactly as the seed curl example and answers {"status":"ok","task_id":"t_…"}, then reports it pending', async () => {
    const response = await relay('POST', '/api/relay/send', { body: '{"from":"master","to":"child","type":"task","cmd":"test"}' });
    const taskId = bodyOf(response)['task_id'] as string;
    expect({ response, status: await taskStatus(taskId) }).toEqual({
      response: { status: 200, body: { status: 'ok', task_id: expect.stringMatching(/^t_[0-9a-f]+$/) } },
      status: { status: 'ok', task_id: taskId, task_status: 'pending', state: 'submitted', assigned_to: null, attempts: 0, result: null, error: null },
    });
  });

  it('completes a task on the child callback with status "done", and a repeated or contradicting callback is harmless', async () => {
    const taskId = await send({ from: 'master', to: 'child', type: 'task', cmd: 'verify_chart', payload: { user_id: 'u123' }, text: '请验证命盘' });
    const callback = (status: string, result: unknown) =>
      relay('POST', '/api/relay/callback', { body: JSON.stringify({ task_id: taskId, child_id: 'child_bazi', status, result }) });
    const first = await callback('done', { summary: '命盘验证完成', score: 0.85 });
    const repeat = await callback('done', { summary: 'again', score: 0.1 });
    const contradicting = await callback('failed', { reason: 'late' });
    expect({ replies: [first, repeat, contradicting], status: await taskStatus(taskId) }).toEqual({
      replies: [
        { status: 200, body: { status: 'ok', task_id: taskId, task_status: 'completed', changed: true } },
        { status: 200, body: { status: 'ok', task_id: taskId, task_status: 'completed', changed: false } },
        { status: 200, body: { status: 'ok', task_id: taskId, task_status: 'completed', changed: false } },
      ],
      status: {
        status: 'ok',
        task_id: taskId,
        task_status: 'completed',
        state: 'completed',
        assigned_to: 'child_bazi',
        attempts: 0,
        result: { summary: '命盘验证完成', score: 0.85 },
        error: null,
      },
    });
  });

  it('reports a failed callback as task_status failed with its error', async () => {
    const taskId = await send({ from: 'master', to: 'child', type: 'task', cmd: 'doomed' });
    const reply = await relay('POST', '/api/relay/callback', {
      body: JSON.stringify({ task_id: taskId, child_id: 'child_bazi', status: 'failed', result: { why: 'x' }, error: 'chart unreadable' }),
    });
    expect({ reply: bodyOf(reply), status: await taskStatus(taskId) }).toMatchObject({
      reply: { status: 'ok', task_status: 'failed', changed: true },
      status: { task_status: 'failed', state: 'failed', error: 'chart unreadable', result: { why: 'x' } },
    });
  });

  it('stores all of 10 parallel sends made without a Content-Type header, as the seed loop does, each with its own task_id', async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        relay('POST', '/api/relay/send', { contentType: null, body: `{"from":"master","to":"child","type":"task","cmd":"test_${i + 1}"}` }),
      ),
    );
    const ids = responses.map((r) => bodyOf(r)['task_id'] as string);
    const stored = await api(ctx.hub, 'GET', '/api/tasks?from=master&limit=100');
    const tasks = stored.body['tasks'] as TaskRecord[];
    expect({
      statuses: responses.map((r) => [r.status, bodyOf(r)['status']]),
      distinct: new Set(ids).size,
      stored: tasks.map((t) => t.task_id).sort(),
      cmds: tasks.map((t) => t.cmd).sort(),
    }).toEqual({
      statuses: Array.from({ length: 10 }, () => [200, 'ok']),
      distinct: 10,
      stored: [...ids].sort(),
      cmds: Array.from({ length: 10 }, (_, i) => `test_${i + 1}`).sort(),
    });
  });

  it('reads the JSON body that curl -d sends under its default form Content-Type', async () => {
    const response = await relay('POST', '/api/relay/send', {
      contentType: 'application/x-www-form-urlencoded',
      body: '{"from":"master","to":"child","type":"task","cmd":"form_typed"}',
    });
    const taskId = bodyOf(response)['task_id'] as string;
    expect({ status: response.status, cmd: ((await api(ctx.hub, 'GET', `/api/tasks/${taskId}`)).body['task'] as TaskRecord).cmd }).toEqual({
      status: 200,
      cmd: 'form_typed',
    });
  });

  it('lets a polling worker that never connected find its task in GET /api/relay/logs and complete it with the callback', async () => {
    const taskId = await send({ from: 'master', to: 'child', type: 'task', cmd: 'verify_chart', payload: { user_id: 'u123' }, text: 'please verify' });
    const logs = bodyOf(await relay('GET', '/api/relay/logs?limit=50'));
    const created = (logs['logs'] as Record<string, unknown>[]).filter((entry) => entry['kind'] === 'task.created' && entry['to'] === 'child');
    const found = created.map((entry) => ({ task_id: entry['subject'], cmd: entry['cmd'], payload: entry['payload'], from: entry['from'] }));
    const done = await relay('POST', '/api/relay/callback', {
      body: JSON.stringify({ task_id: found[0]?.task_id, child_id: 'child_bazi', status: 'done', result: { score: 0.85 } }),
    });
    expect({ logs: logs['status'], found, done: bodyOf(done)['task_status'], status: await taskStatus(taskId) }).toMatchObject({
      logs: 'ok',
      found: [{ task_id: taskId, cmd: 'verify_chart', payload: { user_id: 'u123' }, from: 'master' }],
      done: 'completed',
      status: { task_status: 'completed', result: { score: 0.85 }, assigned_to: 'child_bazi' },
    });
  });

  it('lets an agent token send only as its own agent: another "from" is refused with 403', async () => {
    const token = await agentToken(ctx.hub, 'mallory');
    const spoofed = await relay('POST', '/api/relay/send', { key: token, body: '{"from":"master","to":"child","type":"task","cmd":"spoof"}' });
    const own = await send({ from: 'mallory', to: 'child', cmd: 'honest' }, token);
    const unnamed = await send({ to: 'child', cmd: 'unnamed' }, token);
    const list = (await api(ctx.hub, 'GET', '/api/tasks')).body['tasks'] as TaskRecord[];
    expect({
      spoofed: { status: spoofed.status, code: (bodyOf(spoofed)['error'] as { code: string }).code },
      senders: Object.fromEntries(list.map((t) => [t.cmd, t.from])),
      sentIds: [own, unnamed].every((id) => list.some((t) => t.task_id === id)),
    }).toEqual({
      spoofed: { status: 403, code: 'SB_ERR_FORBIDDEN' },
      senders: { honest: 'mallory', unnamed: 'mallory' },
      sentIds: true,
    });
  });

  it('tells the master over WebSocket of a task sent for it over HTTP, up to the child callback', async () => {
    const master = await worker('master');
    const child = await worker('child');
    const taskId = await send({ from: 'master', to: 'child', type: 'task', cmd: 'mixed_transport' });
    await child.next('task_assigned');
    const childToken = await agentToken(ctx.hub, 'child');
    const done = await relay('POST', '/api/relay/callback', {
      key: childToken,
      body: JSON.stringify({ task_id: taskId, child_id: 'child', status: 'done', result: 'ok' }),
    });
    const events: string[] = [];
    for (;;) {
      const update = await master.next((f) => f.type === 'task_updated' && (f['task'] as TaskRecord).task_id === taskId);
      events.push(update['event'] as string);
      if (update['event'] === 'completed') break;
    }
    expect({ done: bodyOf(done)['task_status'], events }).toEqual({ done: 'completed', events: ['created', 'assigned', 'completed'] });
  });

  it('refuses a callback from an agent that never held a task another agent holds as not found, but the admin key may finish it', async () => {
    const child = await worker('child');
    const taskId = await send({ from: 'master', to: 'child', cmd: 'held' });
    await child.next('task_assigned');
    const strangerToken = await agentToken(ctx.hub, 'stranger');
    const body = JSON.stringify({ task_id: taskId, child_id: 'stranger', status: 'done', result: 'stolen' });
    const stranger = await relay('POST', '/api/relay/callback', { key: strangerToken, body });
    const pending = await taskStatus(taskId);
    const admin = await relay('POST', '/api/relay/callback', { body });
    const revoked = await child.next('task_revoked');
    expect({
      stranger: { status: stranger.status, code: (bodyOf(stranger)['error'] as { code: string }).code },
      pending: pending['state'],
      admin: { status: admin.status, task_status: bodyOf(admin)['task_status'] },
      revoked: revoked['task_id'],
    }).toEqual({
      stranger: { status: 404, code: 'SB_ERR_NOT_FOUND' },
      pending: 'submitted',
      admin: { status: 200, task_status: 'completed' },
      revoked: taskId,
    });
  });

  it('returns the same task_id for a resend with the same idempotency key', async () => {
    const body = '{"from":"master","to":"child","type":"task","cmd":"once","idempotency_key":"seed-7"}';
    const first = bodyOf(await relay('POST', '/api/relay/send', { body }));
    const again = bodyOf(await relay('POST', '/api/relay/send', { body }));
    expect({ first, again }).toEqual({
      first: { status: 'ok', task_id: first['task_id'] },
      again: { status: 'ok', task_id: first['task_id'], duplicate: true },
    });
  });

  it('answers errors as JSON with a code: no key, a wrong key, an unknown task, a body without cmd, a body that is not JSON, an unknown callback status', async () => {
    const results = await Promise.all([
      rawRequest(ctx.hub.port, { path: '/api/relay/task-status/t_1' }),
      relay('GET', '/api/relay/task-status/t_1', { key: 'not-a-token' }),
      relay('GET', '/api/relay/task-status/t_0000nope'),
      relay('POST', '/api/relay/send', { body: '{"from":"master","to":"child"}' }),
      relay('POST', '/api/relay/send', { body: '{"from":"master",' }),
      relay('POST', '/api/relay/callback', { body: '{"task_id":"t_1","child_id":"c","status":"finished"}' }),
      relay('POST', '/api/relay/callback', { body: '{"task_id":"t_0000nope","child_id":"c","status":"done"}' }),
    ]);
    const summary = results.map((r) => {
      const error = bodyOf(r)['error'] as { code: string; message: string };
      return { status: r.status, code: error.code };
    });
    expect({
      summary,
      namesCmd: (bodyOf(results[3] as RawResponse)['error'] as { message: string }).message.includes('cmd'),
      namesStatus: (bodyOf(results[5] as RawResponse)['error'] as { message: string }).message.includes('status'),
    }).toEqual({
      summary: [
        { status: 401, code: 'SB_ERR_AUTH' },
        { status: 401, code: 'SB_ERR_AUTH' },
        { status: 404, code: 'SB_ERR_NOT_FOUND' },
        { status: 400, code: 'SB_ERR_VALIDATION' },
        { status: 400, code: 'SB_ERR_BAD_JSON' },
        { status: 400, code: 'SB_ERR_VALIDATION' },
        { status: 404, code: 'SB_ERR_NOT_FOUND' },
      ],
      namesCmd: true,
      namesStatus: true,
    });
  });
});

describe('REST tasks API', () => {
  it('creates a task (201), returns it again for the same idempotency key (200), and shows it with its attempts', async () => {
    const child = await worker('child');
    const task = { to: 'child', cmd: 'rest_made', payload: { n: 1 }, idempotency_key: 'rest-1' };
    const created = await api(ctx.hub, 'POST', '/api/tasks', { body: task });
    const again = await api(ctx.hub, 'POST', '/api/tasks', { body: task });
    const taskId = (created.body['task'] as TaskRecord).task_id;
    await child.next('task_assigned');
    await child.request({ type: 'task_accept', task_id: taskId });
    const shown = await api(ctx.hub, 'GET', `/api/tasks/${taskId}`);
    expect({
      created: [created.status, created.body['duplicate'], (created.body['task'] as TaskRecord).from],
      again: [again.status, again.body['duplicate'], (again.body['task'] as TaskRecord).task_id],
      shown: { state: (shown.body['task'] as TaskRecord).state, attempts: outcomes(shown.body['attempts'] as TaskAttempt[]) },
    }).toEqual({
      created: [201, false, 'user'],
      again: [200, true, taskId],
      shown: { state: 'working', attempts: ['child:working'] },
    });
  });

  it('lists tasks filtered by state, sender, target, command and limit, with counts by state', async () => {
    const a = (await api(ctx.hub, 'POST', '/api/tasks', { body: { to: 'alpha', cmd: 'one' } })).body['task'] as TaskRecord;
    const b = (await api(ctx.hub, 'POST', '/api/tasks', { body: { to: 'beta', cmd: 'two' } })).body['task'] as TaskRecord;
    await api(ctx.hub, 'POST', `/api/tasks/${b.task_id}/cancel`, { body: {} });
    const ids = async (query: string) => ((await api(ctx.hub, 'GET', `/api/tasks${query}`)).body['tasks'] as TaskRecord[]).map((t) => t.task_id).sort();
    expect({
      all: await ids(''),
      submitted: await ids('?state=submitted'),
      canceled: await ids('?state=canceled'),
      toAlpha: await ids('?to=alpha'),
      cmdTwo: await ids('?cmd=two'),
      fromUser: (await ids('?from=user')).length,
      limit: (await ids('?limit=1')).length,
      counts: (await api(ctx.hub, 'GET', '/api/tasks')).body['counts'],
      badState: (await api(ctx.hub, 'GET', '/api/tasks?state=nope')).status,
    }).toEqual({
      all: [a.task_id, b.task_id].sort(),
      submitted: [a.task_id],
      canceled: [b.task_id],
      toAlpha: [a.task_id],
      cmdTwo: [b.task_id],
      fromUser: 2,
      limit: 1,
      counts: { submitted: 1, canceled: 1 },
      badState: 400,
    });
  });

  it('answers a question, cancels, and retries or redrives a task over HTTP, telling the child', async () => {
    const child = await worker('child');
    const masterToken = await agentToken(ctx.hub, 'master');
    const asMaster = { token: masterToken };
    const created = await api(ctx.hub, 'POST', '/api/tasks', { ...asMaster, body: { to: 'child', cmd: 'chat' } });
    const taskId = (created.body['task'] as TaskRecord).task_id;
    await child.next('task_assigned');
    await child.request({ type: 'task_accept', task_id: taskId });
    await child.request({ type: 'task_input_required', task_id: taskId, question: 'Which?' });
    const answered = await api(ctx.hub, 'POST', `/api/tasks/${taskId}/input`, { ...asMaster, body: { answer: 'this one' } });
    const input = await child.next('task_input');
    const bystander = await api(ctx.hub, 'POST', `/api/tasks/${taskId}/cancel`, { token: await agentToken(ctx.hub, 'bystander'), body: {} });
    const canceled = await api(ctx.hub, 'POST', `/api/tasks/${taskId}/cancel`, { ...asMaster, body: { reason: 'enough' } });
    const told = await child.next('task_canceled');
    const retried = await api(ctx.hub, 'POST', `/api/tasks/${taskId}/retry`, { ...asMaster, body: {} });
    const redriven = await api(ctx.hub, 'POST', `/api/tasks/${taskId}/retry`, { ...asMaster, body: { to: 'other' } });
    const view = (r: { status: number; body: Record<string, unknown> }) => {
      const task = r.body['task'] as TaskRecord;
      return { status: r.status, state: task.state, to: task.to, retry_of: task.retry_of };
    };
    expect({
      answered: view(answered),
      input: input['answer'],
      bystander: bystander.status,
      canceled: view(canceled),
      told: told['reason'],
      retried: view(retried),
      redriven: view(redriven),
    }).toEqual({
      answered: { status: 200, state: 'working', to: 'child', retry_of: null },
      input: 'this one',
      // A bystander may not see the task, so for it there is none.
      bystander: 404,
      canceled: { status: 200, state: 'canceled', to: 'child', retry_of: null },
      told: 'enough',
      retried: { status: 201, state: 'submitted', to: 'child', retry_of: taskId },
      redriven: { status: 201, state: 'submitted', to: 'other', retry_of: taskId },
    });
  });
});
