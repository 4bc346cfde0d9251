/** The task relay over WebSocket: dispatch, the task lifecycle, idempotency, permissions and validation, on a real hub. */
import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../shared/index.js';
import { useHub, type Frame, type HubFixture, type TestClient } from '../helpers/hub.js';
import { connectWorker, getTask, offeredSince, outcomes, sendTask, taskFrames } from '../helpers/tasks.js';
import { eventually } from '../helpers/wait.js';

/** Runs one dispatch round and waits for its commit, so offers it makes have been sent. */
const settle = (ctx: HubFixture): Promise<void> => ctx.hub.hub.services.relay.dispatcher.tick();

/** A worker connected through the fixture, so it is closed after the test. */
const worker = async (ctx: HubFixture, agent: string, profile: { kind?: string; capabilities?: string[] } = {}): Promise<TestClient> =>
  ctx.track(await connectWorker(ctx.hub, agent, profile));

/** Waits for the offer of `taskId` on `child`. */
const offerOf = (child: TestClient, taskId: string): Promise<Frame> =>
  child.next((f) => f.type === 'task_assigned' && (f['task'] as TaskRecord).task_id === taskId, { from: 0 });

/** The `task_updated` events the master received for `taskId`, after a ping round trip. */
async function eventsFor(master: TestClient, taskId: string): Promise<string[]> {
  await master.request({ type: 'ping', timestamp: 0 });
  return master.frames.filter((f) => f.type === 'task_updated' && (f['task'] as TaskRecord).task_id === taskId).map((f) => f['event'] as string);
}

/** Sends a task, waits for the child's offer and accepts it; returns the task id. */
async function sendAndAccept(master: TestClient, child: TestClient, task: Record<string, unknown>): Promise<string> {
  const { task_id } = await sendTask(master, task);
  await offerOf(child, task_id);
  expect(await child.request({ type: 'task_accept', task_id })).toMatchObject({ type: 'ack', changed: true, task: { state: 'working' } });
  return task_id;
}

const errorCode = (frame: Frame): { type: string; code: unknown } => ({ type: frame.type, code: frame['code'] });

describe('task relay', () => {
  const ctx = useHub();

  it('offers a task to the child, and tells the master of every step until the result', async () => {
    const master = await ctx.agent('master');
    const child = await ctx.agent('child');
    const sent = await master.request({ type: 'task_send', task: { to: 'child', cmd: 'verify_chart', payload: { user_id: 'u123' }, text: 'please verify' } });
    expect(sent).toMatchObject({ type: 'ack', duplicate: false, task: { state: 'submitted', from: 'master', to: 'child', cmd: 'verify_chart' } });
    const taskId = (sent['task'] as { task_id: string }).task_id;

    const assigned = await child.next('task_assigned');
    expect(assigned).toMatchObject({ task: { task_id: taskId, payload: { user_id: 'u123' }, assigned_to: 'child' }, attempt: 1 });
    expect(await child.request({ type: 'task_accept', task_id: taskId })).toMatchObject({ type: 'ack', changed: true, task: { state: 'working' } });
    await child.request({ type: 'task_progress', task_id: taskId, progress: 0.5, message: 'half way' });
    const done = await child.request({ type: 'task_result', task_id: taskId, status: 'completed', result: { score: 0.85 } });
    expect(done).toMatchObject({ changed: true, task: { state: 'completed', result: { score: 0.85 } } });

    const events: string[] = [];
    for (;;) {
      const update = await master.next('task_updated');
      events.push(update['event'] as string);
      if (update['event'] === 'completed') break;
    }
    expect(events).toEqual(['created', 'assigned', 'accepted', 'progress', 'completed']);

    const repeat = await child.request({ type: 'task_result', task_id: taskId, status: 'failed', error: 'late' });
    expect(repeat).toMatchObject({ type: 'ack', changed: false, task: { state: 'completed' } });
  });
});

describe('dispatch', () => {
  const ctx = useHub();

  it('keeps a task while no matching agent is online and offers it the moment one connects', async () => {
    const master = await ctx.agent('master');
    const { task_id } = await sendTask(master, { to: 'late-child', cmd: 'wait_for_me' });
    await settle(ctx);
    const waiting = await getTask(master, task_id);

    const child = await ctx.agent('late-child');
    const offer = await offerOf(child, task_id);
    expect({ waiting: { state: waiting.task.state, assigned_to: waiting.task.assigned_to, attempts: waiting.attempts }, offer }).toMatchObject({
      waiting: { state: 'submitted', assigned_to: null, attempts: [] },
      offer: { type: 'task_assigned', attempt: 1, task: { task_id, cmd: 'wait_for_me', assigned_to: 'late-child', state: 'submitted' } },
    });
    expect(Date.parse(offer['lease_until'] as string)).toBeGreaterThan(0);
  });

  it('offers a task sent to a role to an agent of that kind, and one sent to a capability to an agent that has it', async () => {
    const master = await ctx.agent('master');
    const reviewer = await worker(ctx, 'rita', { kind: 'reviewer' });
    const capable = await worker(ctx, 'carl', { kind: 'generalist', capabilities: ['translate', 'summarise'] });
    const other = await worker(ctx, 'otto', { kind: 'painter', capabilities: ['paint'] });
    const review = await sendTask(master, { to: 'reviewer', cmd: 'review' });
    const summary = await sendTask(master, { to: 'summarise', cmd: 'summarise' });
    await offerOf(reviewer, review.task_id);
    await offerOf(capable, summary.task_id);
    expect({ rita: await offeredSince(reviewer), carl: await offeredSince(capable), otto: await offeredSince(other) }).toEqual({
      rita: [review.task_id],
      carl: [summary.task_id],
      otto: [],
    });
  });

  it('offers a waiting task to an agent already online the moment another connection of it announces the capability', async () => {
    const master = await ctx.agent('master');
    const first = await worker(ctx, 'nina', { kind: 'generalist' });
    const { task_id } = await sendTask(master, { to: 'transcribe', cmd: 'transcribe' });
    await settle(ctx);
    const waiting = (await getTask(master, task_id)).task.assigned_to;
    const second = await worker(ctx, 'nina', { capabilities: ['transcribe'] });
    const offer = await Promise.race([offerOf(first, task_id), offerOf(second, task_id)]);
    expect({ waiting, offer }).toMatchObject({ waiting: null, offer: { type: 'task_assigned', task: { task_id, assigned_to: 'nina' } } });
  });

  it('shares tasks sent to a role round-robin among three online children', async () => {
    const master = await ctx.agent('master');
    const children = [await worker(ctx, 'w1', { kind: 'worker' }), await worker(ctx, 'w2', { kind: 'worker' }), await worker(ctx, 'w3', { kind: 'worker' })];
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await sendTask(master, { to: 'worker', cmd: `job_${i}` })).task_id);
    await settle(ctx);
    await eventually(async () => ((await Promise.all(children.map((c) => offeredSince(c)))).flat().length === 6 ? true : undefined), 'six offers');
    expect(await Promise.all(children.map((c) => offeredSince(c)))).toEqual([
      [ids[0], ids[3]],
      [ids[1], ids[4]],
      [ids[2], ids[5]],
    ]);
  });

  it('offers again at once a task whose agent went offline before accepting it, to another agent that matches', async () => {
    const master = await ctx.agent('master');
    const first = await worker(ctx, 'w1', { kind: 'worker' });
    const { task_id } = await sendTask(master, { to: 'worker', cmd: 'hot_potato' });
    await offerOf(first, task_id);
    const second = await worker(ctx, 'w2', { kind: 'worker' });
    await first.close();
    const offer = await offerOf(second, task_id);
    const { attempts } = await getTask(master, task_id);
    expect({ attempt: offer['attempt'], attempts: outcomes(attempts), events: await eventsFor(master, task_id) }).toEqual({
      attempt: 2,
      attempts: ['w1:withdrawn', 'w2:offered'],
      events: ['created', 'assigned', 'requeued', 'assigned'],
    });
  });

  it('does not count an offer withdrawn by a departing agent against max_attempts', async () => {
    const master = await ctx.agent('master');
    const first = await worker(ctx, 'w1', { kind: 'worker' });
    const { task_id } = await sendTask(master, { to: 'worker', cmd: 'single_shot', max_attempts: 1 });
    await offerOf(first, task_id);
    const second = await worker(ctx, 'w2', { kind: 'worker' });
    await first.close();
    await offerOf(second, task_id);
    await second.request({ type: 'task_accept', task_id });
    const finished = await second.request({ type: 'task_result', task_id, status: 'completed', result: 'ok' });
    expect({ state: (finished['task'] as { state: string }).state, attempts: (finished['task'] as { attempts: number }).attempts }).toEqual({
      state: 'completed',
      attempts: 1,
    });
  });

  it('pushes task_updated for every task to a connection that subscribed to tasks, and not to others', async () => {
    const gui = await ctx.admin('gui');
    const bystander = await ctx.agent('bystander');
    expect(await gui.request({ type: 'subscribe', tasks: true })).toMatchObject({ type: 'subscribed', tasks: true });
    const master = await ctx.agent('master');
    const child = await ctx.agent('child');
    const taskId = await sendAndAccept(master, child, { to: 'child', cmd: 'watched' });
    await eventually(async () => ((await eventsFor(gui, taskId)).length === 3 ? true : undefined), 'three updates for the watcher');
    expect({ gui: await eventsFor(gui, taskId), bystander: await eventsFor(bystander, taskId) }).toEqual({
      gui: ['created', 'assigned', 'accepted'],
      bystander: [],
    });
  });
});

describe('dispatch with one task in flight per agent', () => {
  const ctx = useHub({ maxTasksInFlight: 1 });

  it('holds the second task until the child has finished the first', async () => {
    const master = await ctx.agent('master');
    const child = await ctx.agent('child');
    const first = await sendTask(master, { to: 'child', cmd: 'first' });
    const second = await sendTask(master, { to: 'child', cmd: 'second' });
    await offerOf(child, first.task_id);
    await settle(ctx);
    const whileBusy = { offered: await offeredSince(child), second: (await getTask(master, second.task_id)).task.assigned_to };

    await child.request({ type: 'task_accept', task_id: first.task_id });
    await settle(ctx);
    const whileWorking = await offeredSince(child);
    await child.request({ type: 'task_result', task_id: first.task_id, status: 'completed', result: 1 });
    await offerOf(child, second.task_id);
    expect({ whileBusy, whileWorking, after: await offeredSince(child) }).toEqual({
      whileBusy: { offered: [first.task_id], second: null },
      whileWorking: [first.task_id],
      after: [first.task_id, second.task_id],
    });
  });

  it('offers queued tasks highest priority first, oldest first within a priority', async () => {
    const master = await ctx.agent('master');
    const sent: Record<string, string> = {};
    for (const [cmd, priority] of [
      ['low', 0],
      ['high', 10],
      ['lowest', -5],
      ['mid', 5],
      ['low_too', 0],
    ] as const) {
      sent[cmd] = (await sendTask(master, { to: 'child', cmd, priority })).task_id;
    }
    const child = await ctx.agent('child');
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      const offer = await child.next('task_assigned');
      const task = offer['task'] as TaskRecord;
      order.push(task.cmd);
      await child.request({ type: 'task_result', task_id: task.task_id, status: 'completed' });
    }
    expect(order).toEqual(['high', 'mid', 'low', 'low_too', 'lowest']);
  });
});

describe('task lifecycle', () => {
  const ctx = useHub();

  it('pauses a task while the child waits for input, delivers the master answer to the child, and resumes it', async () => {
    const master = await ctx.agent('master');
    const child = await ctx.agent('child');
    const taskId = await sendAndAccept(master, child, { to: 'child', cmd: 'draw_chart' });
    const asked = await child.request({ type: 'task_input_required', task_id: taskId, question: 'Which birth time?' });
    const update = await master.next((f) => f.type === 'task_updated' && f['event'] === 'input_required');
    const answered = await master.request({ type: 'task_input', task_id: taskId, answer: { time: '08:30' } });
    const input = await child.next('task_input');
    const done = await child.request({ type: 'task_result', task_id: taskId, status: 'completed', result: { chart: 'ok' } });
    expect({
      asked: {
        changed: asked['changed'],
        state: (asked['task'] as TaskRecord).state,
        question: (asked['task'] as TaskRecord).question,
        lease: (asked['task'] as TaskRecord).lease_until,
      },
      pushed: (update['task'] as TaskRecord).question,
      answered: {
        changed: answered['changed'],
        state: (answered['task'] as TaskRecord).state,
        question: (answered['task'] as TaskRecord).question,
        leased: (answered['task'] as TaskRecord).lease_until !== null,
      },
      input,
      done: (done['task'] as TaskRecord).state,
      events: await eventsFor(master, taskId),
    }).toEqual({
      asked: { changed: true, state: 'input-required', question: 'Which birth time?', lease: null },
      pushed: 'Which birth time?',
      answered: { changed: true, state: 'working', question: null, leased: true },
      input: { type: 'task_input', task_id: taskId, answer: { time: '08:30' } },
      done: 'completed',
      events: ['created', 'assigned', 'accepted', 'input_required', 'answered', 'completed'],
    });
  });

  it('refuses an answer to a task that asked nothing, and a question about a task not yet accepted', async () => {
    const master = await ctx.agent('master');
    const child = await ctx.agent('child');
    const working = await sendAndAccept(master, child, { to: 'child', cmd: 'busy' });
    const offered = await sendTask(master, { to: 'child', cmd: 'offered' });
    await offerOf(child, offered.task_id);
    const answer = await master.request({ type: 'task_input', task_id: working, answer: 'unasked' });
    const question = await child.request({ type: 'task_input_required', task_id: offered.task_id, question: 'too early?' });
    expect([errorCode(answer), errorCode(question)]).toEqual([
      { type: 'error', code: 'SB_ERR_CONFLICT' },
      { type: 'error', code: 'SB_ERR_CONFLICT' },
    ]);
  });

  it('rejects a task the child refuses, with its reason, and takes no more steps on it', async () => {
    const master = await ctx.agent('master');
    const child = await ctx.agent('child');
    const { task_id } = await sendTask(master, { to: 'child', cmd: 'not_mine' });
    await offerOf(child, task_id);
    const rejected = await child.request({ type: 'task_reject', task_id, reason: 'not my department' });
    const acceptAfter = await child.request({ type: 'task_accept', task_id });
    const { task, attempts } = await getTask(master, task_id);
    expect({
      rejected: { changed: rejected['changed'], state: (rejected['task'] as TaskRecord).state },
      acceptAfter: errorCode(acceptAfter),
      task: { state: task.state, error: task.error, finished: task.finished_at !== null },
      attempts: outcomes(attempts),
      events: await eventsFor(master, task_id),
    }).toEqual({
      rejected: { changed: true, state: 'rejected' },
      acceptAfter: { type: 'error', code: 'SB_ERR_CONFLICT' },
      task: { state: 'rejected', error: 'not my department', finished: true },
      attempts: ['child:rejected'],
      events: ['created', 'assigned', 'rejected'],
    });
  });

  it('cancels a working task: the child is told with task_canceled, and its later result changes nothing', async () => {
    const master = await ctx.agent('master');
    const child = await ctx.agent('child');
    const taskId = await sendAndAccept(master, child, { to: 'child', cmd: 'long_job' });
    const canceled = await master.request({ type: 'task_cancel', task_id: taskId, reason: 'changed my mind' });
    const told = await child.next('task_canceled');
    const lateResult = await child.request({ type: 'task_result', task_id: taskId, status: 'completed', result: 'too late' });
    const cancelAgain = await master.request({ type: 'task_cancel', task_id: taskId });
    const { task, attempts } = await getTask(master, taskId);
    expect({
      canceled: { changed: canceled['changed'], state: (canceled['task'] as TaskRecord).state },
      told,
      lateResult: { changed: lateResult['changed'], state: (lateResult['task'] as TaskRecord).state },
      cancelAgain: errorCode(cancelAgain),
      task: { state: task.state, result: task.result, error: task.error },
      attempts: outcomes(attempts),
    }).toEqual({
      canceled: { changed: true, state: 'canceled' },
      told: { type: 'task_canceled', task_id: taskId, reason: 'changed my mind' },
      lateResult: { changed: false, state: 'canceled' },
      cancelAgain: { type: 'error', code: 'SB_ERR_CONFLICT' },
      task: { state: 'canceled', result: null, error: 'changed my mind' },
      attempts: ['child:canceled'],
    });
  });

  it('cancels a task nobody has taken yet, so it is never offered', async () => {
    const master = await ctx.agent('master');
    const { task_id } = await sendTask(master, { to: 'nobody-yet', cmd: 'never' });
    const canceled = await master.request({ type: 'task_cancel', task_id });
    const child = await ctx.agent('nobody-yet');
    await settle(ctx);
    expect({ state: (canceled['task'] as TaskRecord).state, offered: await offeredSince(child) }).toEqual({ state: 'canceled', offered: [] });
  });

  it('retries a failed task as a new task linked to it, and redrives it to another agent', async () => {
    const master = await ctx.agent('master');
    const child = await ctx.agent('child');
    const failedId = await sendAndAccept(master, child, { to: 'child', cmd: 'flaky', payload: { n: 1 }, text: 'try it', priority: 3, max_attempts: 2 });
    await child.request({ type: 'task_result', task_id: failedId, status: 'failed', error: 'boom' });

    const retried = (await master.request({ type: 'task_retry', task_id: failedId }))['task'] as TaskRecord;
    await offerOf(child, retried.task_id);
    const redriven = (await master.request({ type: 'task_retry', task_id: failedId, to: 'other' }))['task'] as TaskRecord;
    const other = await ctx.agent('other');
    await offerOf(other, redriven.task_id);
    const old = await getTask(master, failedId);
    const pick = (t: TaskRecord) => ({
      retry_of: t.retry_of,
      to: t.to,
      from: t.from,
      cmd: t.cmd,
      payload: t.payload,
      text: t.text,
      priority: t.priority,
      max_attempts: t.max_attempts,
      state: t.state,
      attempts: t.attempts,
    });
    expect({
      distinct: new Set([failedId, retried.task_id, redriven.task_id]).size,
      retried: pick(retried),
      redriven: pick(redriven),
      old: { state: old.task.state, error: old.task.error },
    }).toEqual({
      distinct: 3,
      retried: {
        retry_of: failedId,
        to: 'child',
        from: 'master',
        cmd: 'flaky',
        payload: { n: 1 },
        text: 'try it',
        priority: 3,
        max_attempts: 2,
        state: 'submitted',
        attempts: 0,
      },
      redriven: {
        retry_of: failedId,
        to: 'other',
        from: 'master',
        cmd: 'flaky',
        payload: { n: 1 },
        text: 'try it',
        priority: 3,
        max_attempts: 2,
        state: 'submitted',
        attempts: 0,
      },
      old: { state: 'failed', error: 'boom' },
    });
  });

  it('refuses to retry a task that is still running, and tells an agent that cannot see another master’s task that there is none', async () => {
    const master = await ctx.agent('master');
    const child = await ctx.agent('child');
    const intruder = await ctx.agent('intruder');
    const running = await sendAndAccept(master, child, { to: 'child', cmd: 'running' });
    const finished = await sendAndAccept(master, child, { to: 'child', cmd: 'finished' });
    await child.request({ type: 'task_result', task_id: finished, status: 'failed', error: 'x' });
    expect([
      errorCode(await master.request({ type: 'task_retry', task_id: running })),
      errorCode(await intruder.request({ type: 'task_retry', task_id: finished })),
    ]).toEqual([
      { type: 'error', code: 'SB_ERR_CONFLICT' },
      { type: 'error', code: 'SB_ERR_NOT_FOUND' },
    ]);
  });

  it('returns the same task for a resend with the same idempotency key from the same master, and a new one from another master', async () => {
    const master = await ctx.agent('master');
    const otherMaster = await ctx.agent('other-master');
    const task = { to: 'child', cmd: 'once', idempotency_key: 'order-42' };
    const first = await master.request({ type: 'task_send', task });
    const again = await master.request({ type: 'task_send', task: { ...task, cmd: 'ignored on a resend' } });
    const fromOther = await otherMaster.request({ type: 'task_send', task });
    const child = await ctx.agent('child');
    const ids = [first, again, fromOther].map((f) => (f['task'] as TaskRecord).task_id);
    await offerOf(child, ids[2] as string);
    await offerOf(child, ids[0] as string);
    expect({
      duplicate: [first['duplicate'], again['duplicate'], fromOther['duplicate']],
      sameTask: ids[0] === ids[1],
      otherTask: ids[2] !== ids[0],
      resent: (again['task'] as TaskRecord).cmd,
      offered: (await offeredSince(child)).sort(),
    }).toEqual({
      duplicate: [false, true, false],
      sameTask: true,
      otherTask: true,
      resent: 'once',
      offered: [ids[0], ids[2]].sort(),
    });
  });

  it('keeps the first result: a repeated or contradicting result is acknowledged without a change', async () => {
    const master = await ctx.agent('master');
    const child = await ctx.agent('child');
    const taskId = await sendAndAccept(master, child, { to: 'child', cmd: 'once_only' });
    const first = await child.request({ type: 'task_result', task_id: taskId, status: 'completed', result: { answer: 42 } });
    const repeat = await child.request({ type: 'task_result', task_id: taskId, status: 'completed', result: { answer: 43 } });
    const contradiction = await child.request({ type: 'task_result', task_id: taskId, status: 'failed', error: 'oops' });
    const { task, attempts } = await getTask(master, taskId);
    const view = (f: Frame) => ({ changed: f['changed'], state: (f['task'] as TaskRecord).state, result: (f['task'] as TaskRecord).result });
    expect({
      replies: [view(first), view(repeat), view(contradiction)],
      stored: { state: task.state, result: task.result, error: task.error },
      attempts: outcomes(attempts),
      completedEvents: (await eventsFor(master, taskId)).filter((e) => e === 'completed').length,
    }).toEqual({
      replies: [
        { changed: true, state: 'completed', result: { answer: 42 } },
        { changed: false, state: 'completed', result: { answer: 42 } },
        { changed: false, state: 'completed', result: { answer: 42 } },
      ],
      stored: { state: 'completed', result: { answer: 42 }, error: null },
      attempts: ['child:completed'],
      completedEvents: 1,
    });
  });

  it('lists tasks with filters on state, sender, target and command', async () => {
    const master = await ctx.agent('master');
    const child = await ctx.agent('child');
    const a = await sendTask(master, { to: 'child', cmd: 'list_a' });
    const b = await sendTask(master, { to: 'elsewhere', cmd: 'list_b' });
    await offerOf(child, a.task_id);
    await child.request({ type: 'task_result', task_id: a.task_id, status: 'completed' });
    const list = async (filter: Record<string, unknown>) =>
      ((await master.request({ type: 'task_list', ...filter }))['tasks'] as TaskRecord[]).map((t) => t.task_id).sort();
    expect({
      all: await list({}),
      completed: await list({ state: 'completed' }),
      submitted: await list({ state: 'submitted' }),
      toElsewhere: await list({ to: 'elsewhere' }),
      byCmd: await list({ cmd: 'list_b' }),
      fromNobody: await list({ from: 'nobody' }),
      limited: (await list({ limit: 1 })).length,
    }).toEqual({
      all: [a.task_id, b.task_id].sort(),
      completed: [a.task_id],
      submitted: [b.task_id],
      toElsewhere: [b.task_id],
      byCmd: [b.task_id],
      fromNobody: [],
      limited: 1,
    });
  });
});

describe('task permissions and validation', () => {
  const ctx = useHub();

  it('lets only the agent holding a task accept it, report on it or reject it; a stranger is told there is no such task', async () => {
    const master = await ctx.agent('master');
    const child = await ctx.agent('child');
    const intruder = await ctx.agent('intruder');
    const { task_id } = await sendTask(master, { to: 'child', cmd: 'mine' });
    await offerOf(child, task_id);
    const tries = [
      await intruder.request({ type: 'task_accept', task_id }),
      await intruder.request({ type: 'task_reject', task_id }),
      await master.request({ type: 'task_accept', task_id }),
    ];
    await child.request({ type: 'task_accept', task_id });
    tries.push(await intruder.request({ type: 'task_progress', task_id, progress: 1 }));
    tries.push(await intruder.request({ type: 'task_input_required', task_id, question: '?' }));
    tries.push(await intruder.request({ type: 'task_result', task_id, status: 'completed' }));
    const { task } = await getTask(master, task_id);
    expect({ tries: tries.map(errorCode), state: task.state, assigned_to: task.assigned_to }).toEqual({
      tries: ['NOT_FOUND', 'NOT_FOUND', 'FORBIDDEN', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND'].map((code) => ({ type: 'error', code: `SB_ERR_${code}` })),
      state: 'working',
      assigned_to: 'child',
    });
  });

  it('lets only the master (or the admin token) cancel a task or answer its question; a bystander is told there is no such task', async () => {
    const master = await ctx.agent('master');
    const child = await ctx.agent('child');
    const bystander = await ctx.agent('bystander');
    const admin = await ctx.admin('person');
    const taskId = await sendAndAccept(master, child, { to: 'child', cmd: 'guarded' });
    await child.request({ type: 'task_input_required', task_id: taskId, question: 'go on?' });
    const refused = [
      await child.request({ type: 'task_cancel', task_id: taskId }),
      await bystander.request({ type: 'task_cancel', task_id: taskId }),
      await child.request({ type: 'task_input', task_id: taskId, answer: 'yes' }),
      await bystander.request({ type: 'task_input', task_id: taskId, answer: 'yes' }),
    ];
    const byAdmin = await admin.request({ type: 'task_cancel', task_id: taskId, reason: 'the person stopped it' });
    expect({ refused: refused.map(errorCode), byAdmin: (byAdmin['task'] as TaskRecord).state }).toEqual({
      refused: ['FORBIDDEN', 'NOT_FOUND', 'FORBIDDEN', 'NOT_FOUND'].map((code) => ({ type: 'error', code: `SB_ERR_${code}` })),
      byAdmin: 'canceled',
    });
  });

  it.each([
    ['a task without cmd', { type: 'task_send', task: { to: 'child' } }, 'task.cmd'],
    ['a task without a target', { type: 'task_send', task: { cmd: 'x' } }, 'task.to'],
    ['a priority that is not a number', { type: 'task_send', task: { to: 'child', cmd: 'x', priority: 'high' } }, 'task.priority'],
    ['max_attempts of zero', { type: 'task_send', task: { to: 'child', cmd: 'x', max_attempts: 0 } }, 'task.max_attempts'],
    ['run_at that is not a time', { type: 'task_send', task: { to: 'child', cmd: 'x', run_at: 'tomorrow' } }, 'task.run_at'],
    ['a timeout below 100 ms', { type: 'task_send', task: { to: 'child', cmd: 'x', timeout_ms: 5 } }, 'task.timeout_ms'],
    ['an accept without task_id', { type: 'task_accept' }, 'task_id'],
    ['a result with the seed status "done"', { type: 'task_result', task_id: 't_1', status: 'done' }, 'status'],
    ['a question that is empty', { type: 'task_input_required', task_id: 't_1', question: '' }, 'question'],
    ['an input without an answer', { type: 'task_input', task_id: 't_1' }, 'answer'],
    ['a list filter with an unknown state', { type: 'task_list', state: 'sleeping' }, 'state'],
  ])('refuses %s with SB_ERR_VALIDATION naming the field, and keeps the connection', async (_name, frame, field) => {
    const master = await ctx.agent('master');
    const reply = await master.request(frame);
    const after = await master.request({ type: 'task_send', task: { to: 'child', cmd: 'still fine' } });
    expect({ code: reply['code'], namesField: (reply['message'] as string).includes(`${field}:`), after: after.type }).toEqual({
      code: 'SB_ERR_VALIDATION',
      namesField: true,
      after: 'ack',
    });
  });

  it('answers SB_ERR_NOT_FOUND for a task id that does not exist, whatever the frame', async () => {
    const master = await ctx.agent('master');
    const task_id = 't_0000doesnotexist';
    const replies = [
      await master.request({ type: 'task_accept', task_id }),
      await master.request({ type: 'task_reject', task_id }),
      await master.request({ type: 'task_progress', task_id }),
      await master.request({ type: 'task_input_required', task_id, question: '?' }),
      await master.request({ type: 'task_input', task_id, answer: 1 }),
      await master.request({ type: 'task_result', task_id, status: 'completed' }),
      await master.request({ type: 'task_cancel', task_id }),
      await master.request({ type: 'task_retry', task_id }),
      await master.request({ type: 'task_get', task_id }),
    ];
    expect(replies.map(errorCode)).toEqual(Array.from({ length: 9 }, () => ({ type: 'error', code: 'SB_ERR_NOT_FOUND' })));
  });

  it('never offers tasks to agents that did not announce the role, and reports no attempts for them', async () => {
    const master = await ctx.agent('master');
    const plain = await ctx.agent('plain');
    const { task_id } = await sendTask(master, { to: 'reviewer', cmd: 'review' });
    await settle(ctx);
    expect({ offered: await taskFrames(plain, 'task_assigned'), attempts: (await getTask(master, task_id)).attempts }).toEqual({ offered: [], attempts: [] });
  });
});
