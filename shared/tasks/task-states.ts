/**
 * The task lifecycle (A2A states) as one pure module: which events move a task from which state to
 * which, and when a failed attempt is retried. The hub enforces it; the GUI uses it to offer actions.
 */

export const TASK_STATES = ['submitted', 'working', 'input-required', 'completed', 'failed', 'canceled', 'rejected'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const TERMINAL_STATES: ReadonlySet<TaskState> = new Set(['completed', 'failed', 'canceled', 'rejected']);

export function isTerminal(state: TaskState): boolean {
  return TERMINAL_STATES.has(state);
}

/** What can happen to a task. `expire` is a lease running out; `requeue` puts an expired attempt back in the queue. */
export type TaskEvent = 'accept' | 'reject' | 'progress' | 'ask' | 'answer' | 'complete' | 'fail' | 'cancel' | 'requeue';

const TRANSITIONS: Record<TaskEvent, Partial<Record<TaskState, TaskState>>> = {
  accept: { submitted: 'working' },
  reject: { submitted: 'rejected', working: 'rejected' },
  progress: { working: 'working' },
  ask: { working: 'input-required' },
  answer: { 'input-required': 'working' },
  // A result may come from a child that polled the logs and was never offered the task (seed).
  complete: { submitted: 'completed', working: 'completed', 'input-required': 'completed' },
  fail: { submitted: 'failed', working: 'failed', 'input-required': 'failed' },
  cancel: { submitted: 'canceled', working: 'canceled', 'input-required': 'canceled' },
  requeue: { submitted: 'submitted', working: 'submitted' },
};

/** The state after `event`, or undefined when the event is not allowed in `state`. */
export function nextState(state: TaskState, event: TaskEvent): TaskState | undefined {
  return TRANSITIONS[event][state];
}

/** The events allowed in a state, e.g. to show the right buttons. */
export function allowedEvents(state: TaskState): TaskEvent[] {
  return (Object.keys(TRANSITIONS) as TaskEvent[]).filter((event) => TRANSITIONS[event][state] !== undefined);
}

export interface BackoffPolicy {
  /** Delay before the second attempt, in ms. */
  baseMs: number;
  /** Longest delay, in ms. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000 };

/**
 * Delay before attempt `attempt + 1` after attempt `attempt` (1-based) failed: exponential, capped, with
 * "equal jitter" (half fixed, half random) so many tasks that failed together do not retry together.
 * @param random a number in [0, 1), injected so tests are exact.
 */
export function retryDelayMs(attempt: number, random: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (exponential / 2) * random);
}

/** The seed's coarse status, as `GET /api/relay/task-status` reports it. */
export function seedStatus(state: TaskState): 'pending' | 'completed' | 'failed' {
  if (state === 'completed') return 'completed';
  return isTerminal(state) ? 'failed' : 'pending';
}
