/**
 * A randomised run of the task relay: thousands of steps of sends, agents connecting, leaving and
 * reconnecting, accepts, rejects, progress, questions, results, cancels and the clock moving past leases,
 * interleaved within a turn. After each step, every unfinished task must be held by a live lease or
 * queued to be offered. A failure names its seed: `SWITCHBOARD_TEST_SEED=<seed>` replays it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SwitchboardError, type NewTask } from '../../shared/index.js';
import type { Task } from '../../electron/hub/store/task-store.js';
import { driftingClock, startRelayHarness, type RelayHarness } from '../helpers/relay-harness.js';

/** A small, seedable PRNG (mulberry32): the same seed gives the same run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LEASE_MS = 100;
const MAX_IN_FLIGHT = 2;
const AGENTS: Record<string, string> = { w1: 'builder', w2: 'builder', w3: 'tester' };
/** Agents, roles, and a role nobody has: its tasks wait in the queue (and must not hold up the others). */
const TARGETS = ['w1', 'w2', 'w3', 'builder', 'tester', 'nobody'];

let harness: RelayHarness | undefined;

afterEach(() => {
  harness?.close();
  harness = undefined;
});

/** Why the task is neither held by a live lease nor queued to be offered, or undefined when it is one of them. */
function stuck(h: RelayHarness, task: Task): string | undefined {
  const now = h.clock.peek();
  const wake = h.timers.earliest();
  if (task.assigned_to !== null) {
    if (task.state === 'submitted' && !h.roster.has(task.assigned_to)) return `offered to ${task.assigned_to}, who left`;
    // A question pauses the lease until the master answers.
    if (task.state === 'input-required') return undefined;
    if (task.lease_until === null) return `held by ${task.assigned_to} without a lease`;
    if (task.lease_until <= now) return `its lease ran out ${now - task.lease_until} ms ago and was not taken back`;
    if (wake === undefined || wake > task.lease_until) return `nothing wakes the dispatcher when its lease runs out (next wake: ${String(wake)})`;
    return undefined;
  }
  if (task.state !== 'submitted') return `${task.state} but held by nobody`;
  if (task.run_at > now) {
    if (wake === undefined || wake > task.run_at) return `nothing wakes the dispatcher when it is due in ${task.run_at - now} ms (next wake: ${String(wake)})`;
    return undefined;
  }
  const held = h.tasks.heldCounts();
  const free = [...h.roster.values()].filter((agent) => (agent.id === task.to || agent.kind === task.to) && (held.get(agent.id) ?? 0) < MAX_IN_FLIGHT);
  if (free.length > 0) return `due for ${now - task.run_at} ms, and ${free.map((a) => a.id).join(', ')} could take it, but it was not offered`;
  return undefined;
}

/** Runs `steps` random steps from `seed`; returns the number of tasks finished, or throws naming the seed, step and recent actions. */
async function run(seed: number, steps: number): Promise<{ finished: number; offers: number }> {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
  const chance = (p: number): boolean => random() < p;
  const clock = driftingClock(1_700_000_000_000, () => (chance(0.3) ? 1 + Math.floor(random() * 3) : 0));
  const h = startRelayHarness({
    settings: { taskLeaseMs: LEASE_MS, maxTasksInFlight: MAX_IN_FLIGHT, taskRetryBaseMs: 5, taskRetryMaxMs: 80 },
    clock,
    random,
    roundSize: 3,
  });
  harness = h;
  const unfinished = h.db.prepare<[], { task_id: string }>("SELECT task_id FROM tasks WHERE state IN ('submitted', 'working', 'input-required')");
  const master = { agent: 'master', admin: false };
  const log: string[] = [];
  const calls: Promise<unknown>[] = [];
  /** A refusal (the task moved on meanwhile) is part of the race; anything else fails the run. */
  const call = (what: string, promise: Promise<unknown>): void => {
    log.push(what);
    calls.push(promise.catch((error: unknown) => (error instanceof SwitchboardError ? undefined : Promise.reject(error))));
  };
  const held = (agent: string, state: string): string[] =>
    h.tasks
      .heldBy(agent)
      .filter((t) => t.state === state)
      .map((t) => t.task_id);
  const online = (): string[] => [...h.roster.keys()];

  const actions: (() => void)[] = [
    () => {
      const live = unfinished.all().length;
      if (live >= 40) return;
      const task: NewTask = {
        to: pick(TARGETS) ?? 'w1',
        type: 'task',
        cmd: 'work',
        priority: Math.floor(random() * 3),
        max_attempts: 1 + Math.floor(random() * 4),
        timeout_ms: 100 + Math.floor(random() * 200),
        ...(chance(0.3) ? { run_at: clock.peek() + Math.floor(random() * 150) } : {}),
      };
      call(`send to ${task.to}`, h.service.create('master', task));
    },
    () => {
      const agent = pick(Object.keys(AGENTS).filter((a) => !h.roster.has(a)));
      if (agent === undefined) return;
      log.push(`connect ${agent}`);
      h.connect(agent, AGENTS[agent] ?? null);
    },
    () => {
      const agent = pick(online());
      if (agent === undefined) return;
      log.push(`disconnect ${agent}`);
      h.disconnect(agent);
    },
    () => {
      const agent = pick(online());
      if (agent === undefined) return;
      log.push(`reconnect ${agent}`);
      h.disconnect(agent);
      h.connect(agent, AGENTS[agent] ?? null);
    },
    () => {
      const agent = pick(online());
      const taskId = agent === undefined ? undefined : pick([...(h.inbox.get(agent) ?? [])]);
      if (agent === undefined || taskId === undefined) return;
      h.inbox.get(agent)?.delete(taskId);
      if (chance(0.9)) call(`${agent} accepts ${taskId}`, h.service.accept({ agent, admin: false }, taskId));
      else call(`${agent} rejects ${taskId}`, h.service.reject({ agent, admin: false }, taskId, 'busy'));
    },
    () => {
      const agent = pick(Object.keys(AGENTS));
      const taskId = agent === undefined ? undefined : pick(held(agent, 'working'));
      if (agent === undefined || taskId === undefined) return;
      const actor = { agent, admin: false };
      const what = random();
      if (what < 0.3) call(`${agent} reports progress on ${taskId}`, h.service.progress(actor, taskId, 50, undefined));
      else if (what < 0.45) call(`${agent} asks about ${taskId}`, h.service.ask(actor, taskId, 'which one?'));
      else call(`${agent} finishes ${taskId}`, h.service.result(actor, taskId, chance(0.8) ? 'completed' : 'failed', { ok: true }, undefined));
    },
    () => {
      const taskId = pick(h.tasks.list({ state: 'input-required', limit: 50 }).map((t) => t.task_id));
      if (taskId !== undefined) call(`master answers ${taskId}`, h.service.answer(master, taskId, 'the first'));
    },
    () => {
      const taskId = chance(0.2) ? pick(unfinished.all().map((r) => r.task_id)) : undefined;
      if (taskId !== undefined) call(`master cancels ${taskId}`, h.service.cancel(master, taskId, undefined));
    },
    () => {
      const ms = Math.floor(random() * 1.5 * LEASE_MS);
      log.push(`clock +${ms} ms`);
      clock.advance(ms);
    },
  ];

  for (let step = 0; step < steps; step++) {
    try {
      // One to three things happen in the same turn, before anything commits.
      const burst = 1 + Math.floor(random() * 3);
      for (let i = 0; i < burst; i++) pick(actions)?.();
      await h.settle();
      await Promise.all(calls.splice(0));
      for (const { task_id } of unfinished.all()) {
        const task = h.tasks.get(task_id) as Task;
        const problem = stuck(h, task);
        if (problem !== undefined) throw new Error(`task ${task_id} (to ${task.to}, ${task.state}) is stuck: ${problem}`);
      }
      log.push('—');
    } catch (error) {
      throw new Error(
        `seed ${seed}, step ${step}: ${error instanceof Error ? error.message : String(error)}\n` +
          `replay with SWITCHBOARD_TEST_SEED=${seed}; the last actions:\n  ${log.slice(-40).join('\n  ')}`,
        { cause: error },
      );
    }
  }
  const counts = h.tasks.countByState();
  const offers = h.db.prepare('SELECT count(*) FROM task_attempts').pluck().get() as number;
  return { finished: (counts['completed'] ?? 0) + (counts['failed'] ?? 0), offers };
}

describe('tasks that used to get stuck', () => {
  const start = (roundSize?: number, drift: () => number = () => 0): RelayHarness =>
    (harness = startRelayHarness({
      settings: { taskLeaseMs: LEASE_MS, maxTasksInFlight: MAX_IN_FLIGHT, taskRetryBaseMs: 40, taskRetryMaxMs: 40 },
      clock: driftingClock(1_700_000_000_000, drift),
      random: () => 0.5,
      ...(roundSize === undefined ? {} : { roundSize }),
    }));
  const send = async (h: RelayHarness, to: string, extra: Partial<NewTask> = {}): Promise<string> =>
    (await h.service.create('master', { to, type: 'task', cmd: 'work', priority: 0, max_attempts: 3, ...extra })).task.task_id;
  const stateOf = (h: RelayHarness, taskId: string) => {
    const task = h.tasks.get(taskId) as Task;
    return { state: task.state, assigned_to: task.assigned_to, attempts: task.attempts };
  };

  it('offers an expired offer again when its retry fell due while the round before it was committing', async () => {
    // How far each read of the clock by the relay moves it: set to model time passing inside one round.
    const lag: number[] = [];
    const h = start(undefined, () => lag.shift() ?? 0);
    h.connect('w1', null);
    const taskId = await send(h, 'w1');
    await h.settle();
    // w1 lets the offer run out: the task is requeued, due again 30 ms later (the backoff).
    h.inbox.get('w1')?.clear();
    h.clock.advance(LEASE_MS);
    await h.settle();
    const retryAt = (h.tasks.get(taskId) as Task).run_at;
    // Something else wakes the dispatcher 1 ms before that (here a task for an agent that is not online;
    // in a running hub also a timer that fires a millisecond early). Its round reads the clock at
    // retryAt - 1; by the time the round has committed, it is retryAt.
    await send(h, 'nobody', { run_at: retryAt - 1 });
    await h.settle();
    h.clock.advance(retryAt - 1 - h.clock.peek());
    lag.push(0, 1);
    await h.settle();
    expect(stateOf(h, taskId)).toEqual({ state: 'submitted', assigned_to: 'w1', attempts: 2 });
  });

  it('takes back a task whose lease started again with an answer, when that lease runs out', async () => {
    const h = start();
    h.connect('w1', null);
    const taskId = await send(h, 'w1', { timeout_ms: 200 });
    await h.settle();
    const w1 = { agent: 'w1', admin: false };
    await h.service.accept(w1, taskId);
    await h.service.ask(w1, taskId, 'which one?');
    // Nothing else is pending: the dispatcher sleeps until something wakes it.
    h.clock.advance(1000);
    await h.settle();
    await h.service.answer({ agent: 'master', admin: false }, taskId, 'the first');
    h.disconnect('w1');
    h.clock.advance(200);
    await h.settle();
    expect(stateOf(h, taskId)).toEqual({ state: 'submitted', assigned_to: null, attempts: 1 });
  });

  it('offers a task to an agent that is online although a full round of higher-priority tasks waits for agents that are not', async () => {
    const h = start(3);
    h.connect('w1', null);
    for (let i = 0; i < 3; i++) await send(h, 'nobody', { priority: 5 });
    const taskId = await send(h, 'w1');
    await h.settle();
    expect(stateOf(h, taskId)).toEqual({ state: 'submitted', assigned_to: 'w1', attempts: 1 });
  });
});

describe('the dispatcher under random interleavings', () => {
  it('always leaves every unfinished task held by a live lease or queued to be offered', async () => {
    const replay = process.env['SWITCHBOARD_TEST_SEED'];
    const seeds = replay === undefined ? [1, 2, 3].map(() => Math.floor(Math.random() * 2 ** 31)) : [Number(replay)];
    for (const seed of seeds) {
      harness?.close();
      const { finished, offers } = await run(seed, 1500);
      // The run did real work: tasks were offered again and again, and many finished.
      expect({ seed, busy: offers > 500 && finished > 100 }).toEqual({ seed, busy: true });
    }
  }, 120_000);
});
