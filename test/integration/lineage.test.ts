/**
 * A task's whole story (`GET /api/tasks/<id>/lineage`) and what a message caused (`GET /api/messages/<seq>/effects`),
 * on a real hub: a message, the task sent in reply to it, an offer that ran out and a second attempt, progress, a
 * question and its answer, the result, a callback answered 500 then 200, a message about the task, a retry
 * and a task that failed and raised an alert.
 */
import { describe, expect, it } from 'vitest';
import type { LineageEntry, MessageEffectsResponse, StoredMessage, TaskLineageResponse, TaskRecord } from '../../shared/index.js';
import { connect } from '../../sdk/index.js';
import { startReceiver } from '../helpers/callback-receiver.js';
import { agentToken, api, useHub, type Frame, type TestClient } from '../helpers/hub.js';
import { FAST } from '../helpers/sdk.js';
import { connectWorker, manualClock, sendTask, startClockedHub } from '../helpers/tasks.js';
import { eventually } from '../helpers/wait.js';

const offerOf = (child: TestClient, taskId: string, attempt: number): Promise<Frame> =>
  child.next((f) => f.type === 'task_assigned' && (f['task'] as TaskRecord).task_id === taskId && f['attempt'] === attempt, { from: 0 });

const post = async (client: TestClient, message: Record<string, unknown>): Promise<StoredMessage> => {
  const ack = await client.request({ type: 'send_message', ...message });
  expect(ack.type).toBe('ack');
  return ack['message'] as StoredMessage;
};

/** Kind, actor and summary of each entry: the story as a person reads it. */
const story = (entries: LineageEntry[]): string[] => entries.map((e) => `${e.kind} | ${e.actor ?? 'hub'} | ${e.summary}`);

describe('task lineage', () => {
  const ctx = useHub({ taskLeaseMs: 500, taskRetryBaseMs: 10, taskRetryMaxMs: 50, callbackBaseDelayMs: 20 });

  const lineage = async (taskId: string, token?: string): Promise<{ status: number; body: TaskLineageResponse & { error?: { code: string } } }> => {
    const { status, body } = await api(ctx.hub, 'GET', `/api/tasks/${encodeURIComponent(taskId)}/lineage`, token === undefined ? {} : { token });
    return { status, body: body as unknown as TaskLineageResponse & { error?: { code: string } } };
  };

  it('tells a task its whole story, oldest first, each entry linked to its source, and hides it from strangers', async () => {
    const master = await ctx.agent('master');
    const worker = await ctx.agent('worker');
    const receiver = await startReceiver((index) => (index === 0 ? 500 : 200));
    try {
      const origin = await post(master, { conversation_id: 'reports', content: 'Please summarise the Q3 report' });
      const task = await sendTask(master, {
        to: 'worker',
        cmd: 'summarise',
        payload: { report: 'q3' },
        in_reply_to: origin.seq,
        callback_url: `${receiver.url}/done`,
      });
      expect(task.in_reply_to).toBe(origin.seq);
      const id = task.task_id;

      // The first offer runs out unanswered; the second is taken.
      await offerOf(worker, id, 1);
      await offerOf(worker, id, 2);
      await worker.request({ type: 'task_accept', task_id: id });
      await worker.request({ type: 'task_progress', task_id: id, progress: 0.5, message: 'read 10 of 20 pages' });
      await worker.request({ type: 'task_input_required', task_id: id, question: 'Bullets or prose?' });
      await master.request({ type: 'task_input', task_id: id, answer: 'bullets' });
      await worker.next('task_input');
      await worker.request({ type: 'task_result', task_id: id, status: 'completed', result: { summary: 'Revenue up 12 %' } });
      await eventually(() => (receiver.requests.length === 2 ? true : undefined), 'the callback, answered 500 then 200');
      const note = await post(worker, { conversation_id: 'reports', content: 'Summary is ready: revenue up 12 %', task_id: id, in_reply_to: origin.seq });
      expect(note.task_id).toBe(id);
      const retried = await master.request({ type: 'task_retry', task_id: id });
      const retry = (retried['task'] as TaskRecord).task_id;

      const { status, body } = await eventually(async () => {
        const answer = await lineage(id);
        return answer.body.entries.some((e) => e.kind === 'callback' && e.detail['outcome'] === 'delivered') ? answer : undefined;
      }, 'the delivered callback in the lineage');
      expect(status).toBe(200);
      expect(body.truncated).toBe(false);
      const host = new URL(receiver.url).host;
      expect(body.task).toMatchObject({ task_id: id, state: 'completed', in_reply_to: origin.seq });
      expect(story(body.entries)).toEqual([
        "origin | master | came from master's message in reports: Please summarise the Q3 report",
        'created | master | sent by master to worker: summarise',
        'offered | worker | offered to worker (attempt 1) → expired: worker did not accept it in time',
        'requeued | hub | back in the queue: worker did not accept it in time',
        'offered | worker | offered to worker (attempt 2) → completed',
        'accepted | worker | accepted by worker',
        'progress | worker | progress: read 10 of 20 pages',
        'question | worker | asked: Bullets or prose?',
        'answer | master | answered by master: bullets',
        'completed | worker | completed by worker',
        `callback | hub | callback attempt 1 to ${host}: HTTP 500; will retry`,
        `callback | hub | callback attempt 2 to ${host}: delivered (HTTP 200)`,
        'message | worker | worker in reports: Summary is ready: revenue up 12 %',
        `retried | master | retried as ${retry} (${body.entries.at(-1)?.detail['state'] as string})`,
      ]);
      const times = body.entries.map((e) => e.ts);
      expect([...times].sort()).toEqual(times);
      const byKind = (kind: string): LineageEntry[] => body.entries.filter((e) => e.kind === kind);
      expect(byKind('origin')[0]?.source).toEqual({ type: 'message', seq: origin.seq, conversation_id: 'reports' });
      expect(byKind('message')[0]?.source).toEqual({ type: 'message', seq: note.seq, conversation_id: 'reports' });
      expect(byKind('retried')[0]?.source).toEqual({ type: 'task', task_id: retry });
      expect(byKind('created')[0]?.source).toMatchObject({ type: 'audit', id: expect.any(Number) });
      expect(byKind('progress')[0]?.detail).toEqual({ progress: 0.5, message: 'read 10 of 20 pages' });
      expect(byKind('completed')[0]?.detail).toEqual({ result: { summary: 'Revenue up 12 %' } });
      expect(byKind('callback').map((e) => e.detail)).toMatchObject([
        { attempt: 1, outcome: 'retrying', error: 'HTTP 500' },
        { attempt: 2, outcome: 'delivered', http_status: 200 },
      ]);

      // The retry came from the same message, and links back to the task it retried.
      const back = await lineage(retry);
      expect(back.body.entries.filter((e) => e.kind === 'origin').map((e) => e.source)).toEqual(byKind('origin').map((e) => e.source));
      expect(back.body.entries.filter((e) => e.kind === 'retry_of')).toMatchObject([
        { actor: 'master', source: { type: 'task', task_id: id }, summary: `a retry of ${id} (completed)` },
      ]);

      // The sender's own token reads the same story; an agent that had nothing to do with the task is told it does not exist.
      const masterToken = await agentToken(ctx.hub, 'master');
      expect(story((await lineage(id, masterToken)).body.entries)).toEqual(story(body.entries));
      const strangerToken = await agentToken(ctx.hub, 'stranger');
      const refused = await lineage(id, strangerToken);
      const missing = await lineage('t_no_such_task', strangerToken);
      expect(refused.status).toBe(404);
      expect(refused.body.error?.code).toBe('SB_ERR_NOT_FOUND');
      expect(refused.body.error).toEqual({ ...missing.body.error, message: `no task "${id}"` });
    } finally {
      await receiver.close();
    }
  });

  it('shows the alert a failed task raised, to the person only', async () => {
    const master = await ctx.agent('master');
    const sleeper = await ctx.agent('sleeper');
    const task = await sendTask(master, { to: 'sleeper', cmd: 'never_accepted', max_attempts: 1 });
    await offerOf(sleeper, task.task_id, 1);

    const { body } = await eventually(async () => {
      const answer = await lineage(task.task_id);
      return answer.body.entries.some((e) => e.kind === 'alert') ? answer : undefined;
    }, 'the alert in the lineage');
    const alerts = (await api(ctx.hub, 'GET', '/api/alerts')).body['alerts'] as { id: number; rule: string }[];
    expect(alerts).toMatchObject([{ rule: 'task_failed' }]);
    expect(story(body.entries).slice(1)).toEqual([
      'offered | sleeper | offered to sleeper (attempt 1) → expired: sleeper did not accept it in time',
      'failed | hub | failed: gave up after 1 attempt: sleeper did not accept it in time',
      `alert | hub | alert task_failed (warning): task ${task.task_id} failed: gave up after 1 attempt (sleeper did not accept it in time)`,
    ]);
    expect(body.entries.at(-1)?.source).toEqual({ type: 'alert', id: alerts[0]?.id });

    const masterToken = await agentToken(ctx.hub, 'master');
    expect((await lineage(task.task_id, masterToken)).body.entries.map((e) => e.kind)).toEqual(['created', 'offered', 'failed']);
  });

  it('shows a message an SDK agent sent about the task', async () => {
    const master = await ctx.agent('master');
    const task = await sendTask(master, { to: 'nobody', cmd: 'plan' });
    const planner = await connect({ url: ctx.hub.wsUrl, token: await agentToken(ctx.hub, 'planner'), agent: 'planner', stateDir: false, reconnect: FAST });
    try {
      const sent = await planner.send('plans', 'Looked at the plan: three steps', { taskId: task.task_id });
      expect(sent.task_id).toBe(task.task_id);
      const { body } = await lineage(task.task_id);
      expect(body.entries.at(-1)).toMatchObject({ kind: 'message', actor: 'planner', source: { type: 'message', seq: sent.seq, conversation_id: 'plans' } });
    } finally {
      await planner.close();
    }
  });

  it('refuses a task whose in_reply_to names a message its sender cannot read, the same way as one that does not exist', async () => {
    const alice = await ctx.agent('alice');
    const bob = await ctx.agent('bob');
    await alice.request({ type: 'create_conversation', conversation_id: 'private', members: ['alice'] });
    const secret = await post(alice, { conversation_id: 'private', content: 'secret plan' });
    const hidden = await bob.request({ type: 'task_send', task: { to: 'alice', cmd: 'x', in_reply_to: secret.seq } });
    const missing = await bob.request({ type: 'task_send', task: { to: 'alice', cmd: 'x', in_reply_to: secret.seq + 1000 } });
    expect(hidden).toMatchObject({ type: 'error', code: 'SB_ERR_VALIDATION', message: `in_reply_to: no message ${secret.seq} that "bob" may read` });
    expect(missing).toMatchObject({ type: 'error', code: 'SB_ERR_VALIDATION' });
    const own = await api(ctx.hub, 'POST', '/api/tasks', { token: await agentToken(ctx.hub, 'alice'), body: { to: 'bob', cmd: 'x', in_reply_to: secret.seq } });
    expect(own.status).toBe(201);
  });
});

describe('message effects', () => {
  const ctx = useHub({ taskLeaseMs: 300 });

  const effects = async (seq: number, token?: string): Promise<{ status: number; body: MessageEffectsResponse & { error?: { code: string } } }> => {
    const { status, body } = await api(ctx.hub, 'GET', `/api/messages/${seq}/effects`, token === undefined ? {} : { token });
    return { status, body: body as unknown as MessageEffectsResponse & { error?: { code: string } } };
  };

  it('lists the tasks sent in reply to a message, its replies and the alerts those tasks raised, each within what the caller may see', async () => {
    const lead = await ctx.agent('lead');
    const sleeper = await ctx.agent('sleeper');
    const ask = await post(lead, { conversation_id: 'ops', content: 'Rotate the keys' });
    const rotate = await sendTask(lead, { to: 'sleeper', cmd: 'rotate_keys', in_reply_to: ask.seq, max_attempts: 1 });
    await offerOf(sleeper, rotate.task_id, 1);
    const reply = await post(sleeper, { conversation_id: 'ops', content: 'On it', in_reply_to: ask.seq });
    await post(lead, { conversation_id: 'ops', content: 'unrelated' });

    const { status, body } = await eventually(async () => {
      const answer = await effects(ask.seq);
      return answer.body.alerts.length > 0 ? answer : undefined;
    }, 'the alert among the effects');
    expect(status).toBe(200);
    expect(body.message).toMatchObject({ seq: ask.seq, content: 'Rotate the keys' });
    expect(body.tasks.map((t) => [t.task_id, t.state])).toEqual([[rotate.task_id, 'failed']]);
    expect(body.replies.map((m) => m.seq)).toEqual([reply.seq]);
    expect(body.alerts).toMatchObject([{ task_id: rotate.task_id, rule: 'task_failed', level: 'warning', id: expect.any(Number) }]);
    expect(body.truncated).toBe(false);

    // Another agent reads the open conversation, so the message and its reply, but not the task nor the alerts.
    const other = await effects(ask.seq, await agentToken(ctx.hub, 'other'));
    expect(other.status).toBe(200);
    expect({ tasks: other.body.tasks, replies: other.body.replies.length, alerts: other.body.alerts }).toEqual({ tasks: [], replies: 1, alerts: [] });

    // A message in a conversation the caller is not a member of does not exist for it.
    await lead.request({ type: 'create_conversation', conversation_id: 'board', members: ['lead'] });
    const secret = await post(lead, { conversation_id: 'board', content: 'confidential' });
    const refused = await effects(secret.seq, await agentToken(ctx.hub, 'other'));
    expect(refused.status).toBe(404);
    expect(refused.body.error?.code).toBe('SB_ERR_NOT_FOUND');
    expect((await effects(secret.seq)).body.tasks).toEqual([]);
  });
});

describe('a task older than the audit trail keeps', () => {
  it('still tells its creation, its offers with their outcome and its end, read from the task itself', async () => {
    const clock = manualClock();
    const hub = await startClockedHub({ retentionDays: 1 }, clock);
    const clients: TestClient[] = [];
    try {
      const master = await connectWorker(hub, 'master');
      const worker = await connectWorker(hub, 'worker');
      clients.push(master, worker);
      const task = await sendTask(master, { to: 'worker', cmd: 'archive' });
      await offerOf(worker, task.task_id, 1);
      await worker.request({ type: 'task_accept', task_id: task.task_id });
      await worker.request({ type: 'task_result', task_id: task.task_id, status: 'completed', result: { files: 3 } });
      clock.advance(3 * 86_400_000);
      await post(master, { conversation_id: 'later', content: 'a newer event keeps the trail going' });
      hub.hub.services.events.record('hub_note', clock.now());
      expect((await hub.hub.services.retention.run()).events).toBeGreaterThan(0);

      const { body } = await api(hub, 'GET', `/api/tasks/${task.task_id}/lineage`);
      const entries = (body as unknown as TaskLineageResponse).entries;
      expect(entries.map((e) => [e.kind, e.actor, e.source.type, e.summary])).toEqual([
        ['created', 'master', 'task', 'sent by master to worker: archive'],
        ['offered', 'worker', 'task', 'offered to worker (attempt 1) → completed'],
        ['completed', 'worker', 'task', 'completed'],
      ]);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await hub.stop();
    }
  });
});
