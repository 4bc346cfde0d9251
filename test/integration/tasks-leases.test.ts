/**
 * Leases, backoff and dead letters on a hub whose clock the test moves: an offer not accepted in time is
 * requeued after exponential backoff, a task that used up its attempts fails with the reason, progress
 * keeps a lease, and every attempt is recorded. Each round is run with `dispatcher.tick()`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../shared/index.js';
import type { Frame, TestClient, TestHub } from '../helpers/hub.js';
import { connectWorker, getTask, manualClock, offeredSince, outcomes, sendTask, startClockedHub, taskFrames, type ManualClock } from '../helpers/tasks.js';

const LEASE_MS = 1000;

let hub: TestHub;
let clock: ManualClock;
const clients: TestClient[] = [];

beforeEach(async () => {
  clock = manualClock();
  // random 0.5: the retry after attempt n waits exactly 0.75 × 1000 × 2^(n-1) ms.
  hub = await startClockedHub({ taskLeaseMs: LEASE_MS }, clock, () => 0.5);
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await hub.stop();
});

const connect = async (agent: string, profile: { kind?: string } = {}): Promise<TestClient> => {
  const client = await connectWorker(hub, agent, profile);
  clients.push(client);
  return client;
};

/** Moves the clock and runs one dispatch round at the new time. */
async function advance(ms: number): Promise<void> {
  clock.advance(ms);
  await hub.hub.services.relay.dispatcher.tick();
}

const offerOf = (child: TestClient, taskId: string, attempt: number): Promise<Frame> =>
  child.next((f) => f.type === 'task_assigned' && (f['task'] as TaskRecord).task_id === taskId && f['attempt'] === attempt, { from: 0 });

/** The state, holder, attempt count and due time of a task, the due time relative to `start`. */
async function snapshot(reader: TestClient, taskId: string, start: number) {
  const { task } = await getTask(reader, taskId);
  return { state: task.state, assigned_to: task.assigned_to, attempts: task.attempts, run_at: Date.parse(task.run_at) - start };
}

async function updates(master: TestClient, taskId: string): Promise<string[]> {
  await master.request({ type: 'ping', timestamp: 0 });
  return master.frames.filter((f) => f.type === 'task_updated' && (f['task'] as TaskRecord).task_id === taskId).map((f) => f['event'] as string);
}

describe('task leases and backoff', () => {
  it('requeues an offer not accepted within the lease, with backoff, and offers it again only after the delay', async () => {
    const master = await connect('master');
    const child = await connect('child');
    const start = clock.now();
    const { task_id } = await sendTask(master, { to: 'child', cmd: 'slow_to_start' });
    const first = await offerOf(child, task_id, 1);

    await advance(LEASE_MS - 1);
    const beforeLease = await snapshot(master, task_id, start);
    await advance(1);
    const requeued = await snapshot(master, task_id, start);
    const revoked = await child.next('task_revoked');
    await advance(749);
    const beforeRetry = await snapshot(master, task_id, start);
    const offeredBeforeRetry = await offeredSince(child);
    await advance(1);
    const second = await offerOf(child, task_id, 2);

    expect({
      leaseOfFirst: Date.parse(first['lease_until'] as string) - start,
      beforeLease,
      requeued,
      revoked,
      beforeRetry,
      offeredBeforeRetry,
      secondOffer: { attempt: second['attempt'], lease: Date.parse(second['lease_until'] as string) - start },
    }).toEqual({
      leaseOfFirst: LEASE_MS,
      beforeLease: { state: 'submitted', assigned_to: 'child', attempts: 1, run_at: 0 },
      // attempt 1 failed at 1000 ms: the retry waits 500 + 0.5 × 500 = 750 ms.
      requeued: { state: 'submitted', assigned_to: null, attempts: 1, run_at: 1750 },
      revoked: { type: 'task_revoked', task_id, reason: 'child did not accept it in time' },
      beforeRetry: { state: 'submitted', assigned_to: null, attempts: 1, run_at: 1750 },
      offeredBeforeRetry: [task_id],
      secondOffer: { attempt: 2, lease: 1750 + LEASE_MS },
    });
  });

  it('fails a task after max_attempts expired offers, with the reason, revoking it from the last holder (dead letter)', async () => {
    const master = await connect('master');
    const child = await connect('child');
    const start = clock.now();
    const { task_id } = await sendTask(master, { to: 'child', cmd: 'never_accepted', max_attempts: 3 });
    await offerOf(child, task_id, 1);
    await advance(LEASE_MS); // attempt 1 expires at 1000; retry at 1000 + 750
    await advance(750);
    await offerOf(child, task_id, 2);
    await advance(LEASE_MS); // attempt 2 expires at 2750; retry at 2750 + 1000 + 0.5 × 1000
    const afterSecond = await snapshot(master, task_id, start);
    await advance(1500);
    await offerOf(child, task_id, 3);
    await advance(LEASE_MS); // attempt 3 expires: no attempt left
    const { task, attempts } = await getTask(master, task_id);
    await advance(60_000);

    expect({
      afterSecond,
      task: { state: task.state, error: task.error, assigned_to: task.assigned_to, lease_until: task.lease_until, finished: task.finished_at !== null },
      attempts: attempts.map((a) => ({ agent: a.agent, outcome: a.outcome, detail: a.detail })),
      revoked: await taskFrames(child, 'task_revoked'),
      offers: await offeredSince(child),
      events: await updates(master, task_id),
    }).toEqual({
      afterSecond: { state: 'submitted', assigned_to: null, attempts: 2, run_at: 4250 },
      task: { state: 'failed', error: 'gave up after 3 attempts: child did not accept it in time', assigned_to: null, lease_until: null, finished: true },
      attempts: [1, 2, 3].map(() => ({ agent: 'child', outcome: 'expired', detail: 'child did not accept it in time' })),
      revoked: [task_id, task_id, task_id],
      offers: [task_id, task_id, task_id],
      events: ['created', 'assigned', 'requeued', 'assigned', 'requeued', 'assigned', 'failed'],
    });
  });

  it('keeps the lease of a working task while its holder reports progress, and takes the task back when the reports stop', async () => {
    const master = await connect('master');
    const child = await connect('child');
    const start = clock.now();
    const { task_id } = await sendTask(master, { to: 'child', cmd: 'long_haul', timeout_ms: 2000 });
    await offerOf(child, task_id, 1);
    const accepted = (await child.request({ type: 'task_accept', task_id }))['task'] as TaskRecord;
    await advance(1500);
    const progressed = (await child.request({ type: 'task_progress', task_id, progress: { pct: 40 } }))['task'] as TaskRecord;
    await advance(1500); // 3000: past the first lease (2000), within the renewed one (3500)
    const stillWorking = await getTask(master, task_id);
    const revokedWhileWorking = await taskFrames(child, 'task_revoked');
    await advance(500); // 3500: no report since 1500
    const { task, attempts } = await getTask(master, task_id);
    expect({
      leases: [Date.parse(accepted.lease_until as string) - start, Date.parse(progressed.lease_until as string) - start],
      progress: progressed.progress,
      stillWorking: { state: stillWorking.task.state, holder: stillWorking.task.assigned_to, attempts: outcomes(stillWorking.attempts) },
      revokedWhileWorking,
      after: {
        state: task.state,
        holder: task.assigned_to,
        run_at: Date.parse(task.run_at) - start,
        attempts: outcomes(attempts),
        detail: attempts[0]?.detail,
      },
      revoked: await child.next('task_revoked'),
    }).toEqual({
      leases: [2000, 3500],
      progress: { value: { pct: 40 }, at: new Date(start + 1500).toISOString() },
      stillWorking: { state: 'working', holder: 'child', attempts: ['child:working'] },
      revokedWhileWorking: [],
      after: { state: 'submitted', holder: null, run_at: 3500 + 750, attempts: ['child:expired'], detail: 'no result from child in time' },
      revoked: { type: 'task_revoked', task_id, reason: 'no result from child in time' },
    });
  });

  it('records every attempt with its agent and outcome: expired, then working, then completed', async () => {
    const master = await connect('master');
    const child = await connect('child');
    const { task_id } = await sendTask(master, { to: 'child', cmd: 'third_time_lucky', timeout_ms: 1000 });
    await offerOf(child, task_id, 1);
    await advance(LEASE_MS);
    await advance(750);
    await offerOf(child, task_id, 2);
    await child.request({ type: 'task_accept', task_id });
    await advance(1000);
    await advance(1500);
    await offerOf(child, task_id, 3);
    await child.request({ type: 'task_accept', task_id });
    const whileWorking = await getTask(master, task_id);
    await child.request({ type: 'task_result', task_id, status: 'completed', result: 'done at last' });
    const { task, attempts } = await getTask(master, task_id);
    expect({
      whileWorking: outcomes(whileWorking.attempts),
      attempts: attempts.map((a) => ({ attempt: a.attempt, agent: a.agent, outcome: a.outcome, accepted: a.accepted_at !== null, ended: a.ended_at !== null })),
      task: { state: task.state, attempts: task.attempts, result: task.result },
    }).toEqual({
      whileWorking: ['child:expired', 'child:expired', 'child:working'],
      attempts: [
        { attempt: 1, agent: 'child', outcome: 'expired', accepted: false, ended: true },
        { attempt: 2, agent: 'child', outcome: 'expired', accepted: true, ended: true },
        { attempt: 3, agent: 'child', outcome: 'completed', accepted: true, ended: true },
      ],
      task: { state: 'completed', attempts: 3, result: 'done at last' },
    });
  });

  it('pauses the lease while the task waits for input, and starts it again when the master answers', async () => {
    const master = await connect('master');
    const child = await connect('child');
    const start = clock.now();
    const { task_id } = await sendTask(master, { to: 'child', cmd: 'ask_first', timeout_ms: 1000 });
    await offerOf(child, task_id, 1);
    await child.request({ type: 'task_accept', task_id });
    await child.request({ type: 'task_input_required', task_id, question: 'Which one?' });
    await advance(10_000);
    const waiting = await getTask(master, task_id);
    const answered = (await master.request({ type: 'task_input', task_id, answer: 'the second' }))['task'] as TaskRecord;
    await advance(1000);
    const after = await getTask(master, task_id);
    expect({
      waiting: { state: waiting.task.state, lease: waiting.task.lease_until, attempts: outcomes(waiting.attempts) },
      answeredLease: Date.parse(answered.lease_until as string) - start,
      after: { state: after.task.state, attempts: outcomes(after.attempts) },
    }).toEqual({
      waiting: { state: 'input-required', lease: null, attempts: ['child:working'] },
      answeredLease: 11_000,
      after: { state: 'submitted', attempts: ['child:expired'] },
    });
  });

  it('does not offer a task before its run_at, given as epoch milliseconds or as ISO time', async () => {
    const master = await connect('master');
    const child = await connect('child');
    const start = clock.now();
    const later = await sendTask(master, { to: 'child', cmd: 'at_5s', run_at: start + 5000 });
    const sooner = await sendTask(master, { to: 'child', cmd: 'at_3s', run_at: new Date(start + 3000).toISOString() });
    await advance(0);
    const atStart = await offeredSince(child);
    await advance(2999);
    const justBefore = await offeredSince(child);
    await advance(1);
    await offerOf(child, sooner.task_id, 1);
    await advance(1999);
    const beforeLater = await offeredSince(child);
    await advance(1);
    await offerOf(child, later.task_id, 1);
    expect({ runAt: [Date.parse(later.run_at) - start, Date.parse(sooner.run_at) - start], atStart, justBefore, beforeLater }).toEqual({
      runAt: [5000, 3000],
      atStart: [],
      justBefore: [],
      beforeLater: [sooner.task_id],
    });
  });

  it('refuses an accept of an offer that has run out', async () => {
    const master = await connect('master');
    const child = await connect('child');
    const { task_id } = await sendTask(master, { to: 'child', cmd: 'too_slow' });
    await offerOf(child, task_id, 1);
    await advance(LEASE_MS);
    const late = await child.request({ type: 'task_accept', task_id });
    expect({ code: late['code'], state: (await getTask(master, task_id)).task.state }).toEqual({ code: 'SB_ERR_FORBIDDEN', state: 'submitted' });
  });
});

describe('late results', () => {
  it('completes a task with the late result of its previous holder and revokes it from the current holder', async () => {
    const master = await connect('master');
    const first = await connect('first', { kind: 'worker' });
    const second = await connect('second', { kind: 'worker' });
    const { task_id } = await sendTask(master, { to: 'worker', cmd: 'contested', timeout_ms: 1000 });
    await offerOf(first, task_id, 1);
    await first.request({ type: 'task_accept', task_id });
    await advance(1000); // the first holder's lease runs out
    await first.next('task_revoked');
    await advance(750);
    await offerOf(second, task_id, 2);
    await second.request({ type: 'task_accept', task_id });

    const late = await first.request({ type: 'task_result', task_id, status: 'completed', result: { from: 'first' } });
    const revoked = await second.next('task_revoked');
    const fromSecond = await second.request({ type: 'task_result', task_id, status: 'completed', result: { from: 'second' } });
    const { task, attempts } = await getTask(master, task_id);
    expect({
      late: { changed: late['changed'], state: (late['task'] as TaskRecord).state },
      revoked,
      fromSecond: { changed: fromSecond['changed'], state: (fromSecond['task'] as TaskRecord).state },
      task: { state: task.state, result: task.result, assigned_to: task.assigned_to },
      attempts: outcomes(attempts),
      completions: attempts.filter((a) => a.outcome === 'completed').length,
    }).toEqual({
      late: { changed: true, state: 'completed' },
      revoked: { type: 'task_revoked', task_id, reason: 'finished by first' },
      fromSecond: { changed: false, state: 'completed' },
      task: { state: 'completed', result: { from: 'first' }, assigned_to: 'first' },
      attempts: ['first:completed', 'second:revoked'],
      completions: 1,
    });
  });

  it('completes a task waiting in backoff with the late result of its previous holder, and never offers it again', async () => {
    const master = await connect('master');
    const child = await connect('child');
    const { task_id } = await sendTask(master, { to: 'child', cmd: 'in_backoff', timeout_ms: 1000 });
    await offerOf(child, task_id, 1);
    await child.request({ type: 'task_accept', task_id });
    await advance(1000);
    const late = await child.request({ type: 'task_result', task_id, status: 'completed', result: 'late but good' });
    await advance(60_000);
    const { task, attempts } = await getTask(master, task_id);
    expect({
      late: late['changed'],
      task: { state: task.state, result: task.result, attempts: task.attempts },
      attempts: outcomes(attempts),
      offers: await offeredSince(child),
    }).toEqual({
      late: true,
      task: { state: 'completed', result: 'late but good', attempts: 1 },
      attempts: ['child:completed'],
      offers: [task_id],
    });
  });
});
