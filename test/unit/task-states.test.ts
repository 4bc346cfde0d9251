/** The task state machine: every state × event, terminal states, the events each state offers, the seed status and retry backoff. */
import { describe, expect, it } from 'vitest';
import {
  allowedEvents,
  DEFAULT_BACKOFF,
  isTerminal,
  nextState,
  retryDelayMs,
  seedStatus,
  TASK_STATES,
  TERMINAL_STATES,
  type TaskEvent,
  type TaskState,
} from '../../shared/index.js';

const EVENTS: TaskEvent[] = ['accept', 'reject', 'progress', 'ask', 'answer', 'complete', 'fail', 'cancel', 'requeue'];

/** The lifecycle as the spec describes it, written out independently of the module: `undefined` means refused. */
const EXPECTED: Record<TaskState, Partial<Record<TaskEvent, TaskState>>> = {
  submitted: {
    accept: 'working',
    reject: 'rejected',
    // A polling worker that was never offered the task may still report its result (seed).
    complete: 'completed',
    fail: 'failed',
    cancel: 'canceled',
    requeue: 'submitted',
  },
  working: {
    reject: 'rejected',
    progress: 'working',
    ask: 'input-required',
    complete: 'completed',
    fail: 'failed',
    cancel: 'canceled',
    requeue: 'submitted',
  },
  'input-required': {
    answer: 'working',
    complete: 'completed',
    fail: 'failed',
    cancel: 'canceled',
  },
  completed: {},
  failed: {},
  canceled: {},
  rejected: {},
};

const table = TASK_STATES.flatMap((state) => EVENTS.map((event) => ({ state, event, to: EXPECTED[state][event] })));

describe('task state machine', () => {
  it('knows exactly the seven A2A states, four of them terminal', () => {
    expect({ states: [...TASK_STATES], terminal: [...TERMINAL_STATES].sort() }).toEqual({
      states: ['submitted', 'working', 'input-required', 'completed', 'failed', 'canceled', 'rejected'],
      terminal: ['canceled', 'completed', 'failed', 'rejected'],
    });
  });

  it.each(table.filter((row) => row.to !== undefined))('moves a $state task to $to on $event', ({ state, event, to }) => {
    expect(nextState(state, event)).toBe(to);
  });

  it.each(table.filter((row) => row.to === undefined))('refuses $event on a $state task', ({ state, event }) => {
    expect(nextState(state, event)).toBeUndefined();
  });

  it('treats completed, failed, canceled and rejected as terminal and nothing else', () => {
    expect(Object.fromEntries(TASK_STATES.map((state) => [state, isTerminal(state)]))).toEqual({
      submitted: false,
      working: false,
      'input-required': false,
      completed: true,
      failed: true,
      canceled: true,
      rejected: true,
    });
  });

  it('lets no event move a task out of a terminal state', () => {
    const escapes = TASK_STATES.filter(isTerminal).flatMap((state) =>
      EVENTS.filter((event) => nextState(state, event) !== undefined).map((event) => `${state}+${event}`),
    );
    expect(escapes).toEqual([]);
  });

  it('never moves a task into submitted except by requeue, nor into a state that does not exist', () => {
    const moves = table.filter((row) => row.to !== undefined);
    expect({
      intoSubmitted: moves.filter((row) => row.to === 'submitted').map((row) => row.event),
      unknownTargets: moves.filter((row) => !TASK_STATES.includes(nextState(row.state, row.event) as TaskState)),
    }).toEqual({ intoSubmitted: ['requeue', 'requeue'], unknownTargets: [] });
  });

  it('lists the allowed events of each state, for the buttons the GUI offers', () => {
    expect(Object.fromEntries(TASK_STATES.map((state) => [state, allowedEvents(state).sort()]))).toEqual({
      submitted: ['accept', 'cancel', 'complete', 'fail', 'reject', 'requeue'],
      working: ['ask', 'cancel', 'complete', 'fail', 'progress', 'reject', 'requeue'],
      'input-required': ['answer', 'cancel', 'complete', 'fail'],
      completed: [],
      failed: [],
      canceled: [],
      rejected: [],
    });
  });

  it('agrees between allowedEvents and nextState for every state', () => {
    for (const state of TASK_STATES) {
      expect(allowedEvents(state).sort()).toEqual(EVENTS.filter((event) => nextState(state, event) !== undefined).sort());
    }
  });

  it('reports the seed coarse status: pending until finished, completed only when completed, failed for every other end', () => {
    expect(Object.fromEntries(TASK_STATES.map((state) => [state, seedStatus(state)]))).toEqual({
      submitted: 'pending',
      working: 'pending',
      'input-required': 'pending',
      completed: 'completed',
      failed: 'failed',
      canceled: 'failed',
      rejected: 'failed',
    });
  });
});

describe('retry backoff', () => {
  it('defaults to a 1 s base and a 60 s cap', () => {
    expect(DEFAULT_BACKOFF).toEqual({ baseMs: 1_000, maxMs: 60_000 });
  });

  it('doubles the delay with each attempt, from half the exponential step (random 0) to all of it (random near 1)', () => {
    const rows = [1, 2, 3, 4, 5, 6].map((attempt) => [attempt, retryDelayMs(attempt, 0), retryDelayMs(attempt, 0.5), retryDelayMs(attempt, 0.999)]);
    expect(rows).toEqual([
      [1, 500, 750, 1000],
      [2, 1000, 1500, 1999],
      [3, 2000, 3000, 3998],
      [4, 4000, 6000, 7996],
      [5, 8000, 12000, 15992],
      [6, 16000, 24000, 31984],
    ]);
  });

  it('caps the delay at the maximum, jitter included, however many attempts failed', () => {
    const delays = [7, 8, 20, 100, 10_000].map((attempt) => [retryDelayMs(attempt, 0), retryDelayMs(attempt, 0.999)]);
    expect(delays).toEqual([
      [30000, 59970],
      [30000, 59970],
      [30000, 59970],
      [30000, 59970],
      [30000, 59970],
    ]);
  });

  it('keeps every delay within [exponential / 2, exponential] for any random number in [0, 1)', () => {
    const outside: string[] = [];
    for (let attempt = 1; attempt <= 12; attempt++) {
      const exponential = Math.min(60_000, 1_000 * 2 ** (attempt - 1));
      for (const random of [0, 0.001, 0.25, 0.5, 0.75, 0.999, 0.9999999]) {
        const delay = retryDelayMs(attempt, random);
        if (delay < exponential / 2 || delay > exponential || !Number.isInteger(delay)) outside.push(`${attempt}/${random} → ${delay}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('treats an attempt number below 1 as the first attempt', () => {
    expect([retryDelayMs(0, 0), retryDelayMs(-3, 0.999)]).toEqual([500, 1000]);
  });

  it('follows a custom policy: its base and its cap', () => {
    const policy = { baseMs: 100, maxMs: 350 };
    expect([1, 2, 3, 4].map((attempt) => [retryDelayMs(attempt, 0, policy), retryDelayMs(attempt, 0.999, policy)])).toEqual([
      [50, 100],
      [100, 200],
      [175, 350],
      [175, 350],
    ]);
  });
});
