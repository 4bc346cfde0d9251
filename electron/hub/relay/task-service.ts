/**
 * Task operations for masters, children and the person: create (idempotent), accept, reject, progress,
 * ask and answer, result (a repeat is harmless), cancel, retry and redrive. Every change passes the state
 * machine, commits (with its audit event and any HTTP callback) before it is acknowledged, then is pushed.
 */
import { randomBytes } from 'node:crypto';
import { isTerminal, nextState, seedStatus, SwitchboardError, type NewTask, type TaskEvent } from '../../../shared/index.js';
import { notStored, type CommitQueue } from '../store/commit-queue.js';
import type { HubConfig } from '../config.js';
import type { EventStore } from '../store/event-store.js';
import { taskRecord, type Task, type TaskStore } from '../store/task-store.js';
import { checkCallbackUrl, type CallbackPolicy } from './ssrf-guard.js';
import type { TaskNotifier } from './task-notifier.js';
import { notFound } from './task-reader.js';

/** Who asks for a change: an agent name, and whether it holds the admin token (the person). */
export interface Actor {
  agent: string;
  admin: boolean;
}

export interface TaskChange {
  task: Task;
  /** False when nothing changed: a repeated result, or a resend with the same idempotency key. */
  changed: boolean;
}

/** Where finished tasks' HTTP callbacks are queued (in the same transaction) and then sent. */
export interface CallbackQueue {
  enqueue(taskId: string, url: string, body: object, now: number): void;
  wake(): void;
}

interface Applied {
  change: TaskChange;
  /** Runs after the commit: pushes, frames to the child, waking the dispatcher and the callback sender. */
  after?: () => void;
}

type Outcome = ({ ok: true } & Applied) | { ok: false; error: SwitchboardError };

export type TaskService = ReturnType<typeof createTaskService>;

export function createTaskService(deps: {
  tasks: TaskStore;
  events: EventStore;
  commits: CommitQueue;
  notifier: Pick<TaskNotifier, 'changed' | 'toAllOf'>;
  callbacks: CallbackQueue;
  config: HubConfig;
  /** Checks callback URLs when a task is sent. */
  policy: CallbackPolicy;
  now: () => number;
  /** The visibility rule: a caller refused a change to a task it may not see is told there is no such task. */
  maySee: (actor: Actor, task: Task) => boolean;
  /** May `reader` read message `seq`? (A task's `in_reply_to` must name a message its sender can read.) */
  mayReadMessage: (reader: Actor, seq: number) => boolean;
  /** Called when queued work may have become dispatchable. */
  kick: () => void;
  /** Called when a lease was set or moved: the dispatcher must look again by then. */
  wakeBy: (time: number) => void;
}) {
  const { tasks, events, notifier } = deps;
  // Ids stay unique when hundreds of tasks share a millisecond: a counter, behind a prefix that differs per hub run.
  const idPrefix = randomBytes(3).toString('hex');
  let idCounter = 0;

  /** Runs `work` inside the next group commit; resolves after the commit, then runs its `after`. */
  const commit = (work: (now: number) => Applied): Promise<TaskChange> =>
    new Promise((resolve, reject) => {
      const now = deps.now();
      deps.commits.enqueue<Outcome>({
        apply: () => {
          try {
            return { ok: true, ...work(now) };
          } catch (error) {
            if (error instanceof SwitchboardError) return { ok: false, error };
            throw error;
          }
        },
        committed: (outcome) => {
          if (!outcome.ok) {
            reject(outcome.error);
            return;
          }
          outcome.after?.();
          resolve(outcome.change);
        },
        failed: (error) => reject(notStored(error, 'the task change')),
      });
    });

  const load = (taskId: string): Task => {
    const task = tasks.get(taskId);
    if (task === undefined) throw notFound(taskId);
    return task;
  };

  const audit = (task: Task, event: string, actor: string | null, now: number, detail: Record<string, unknown> = {}): void => {
    events.record(`task.${event}`, now, { actor, subject: task.task_id, detail: { state: task.state, ...detail } });
  };

  /** Marks a task finished; queues its callback in the same transaction. */
  const finish = (task: Task, now: number): void => {
    task.finished_at = now;
    task.lease_until = null;
    if (task.callback_url !== null) {
      deps.callbacks.enqueue(task.task_id, task.callback_url, callbackBody(task), now);
    }
  };

  const insertTask = (from: string, input: Omit<NewTask, 'payload'> & { payload?: unknown }, now: number, retryOf: string | null = null): Task => {
    const task: Task = {
      task_id: `t_${now}${idPrefix}${(++idCounter).toString(36)}`,
      from,
      to: input.to,
      type: input.type,
      cmd: input.cmd,
      payload: input.payload ?? null,
      text: input.text ?? null,
      priority: input.priority,
      state: 'submitted',
      assigned_to: null,
      lease_until: null,
      run_at: input.run_at ?? now,
      timeout_ms: input.timeout_ms ?? deps.config.taskTimeoutMs,
      attempts: 0,
      offers: 0,
      max_attempts: input.max_attempts,
      idempotency_key: input.idempotency_key ?? null,
      callback_url: input.callback_url ?? null,
      result: null,
      error: null,
      question: null,
      progress: null,
      retry_of: retryOf,
      in_reply_to: input.in_reply_to ?? null,
      created_at: now,
      updated_at: now,
      finished_at: null,
    };
    tasks.insert(task);
    audit(task, 'created', from, now, {
      from,
      to: task.to,
      type: task.type,
      cmd: task.cmd,
      payload: task.payload,
      text: task.text,
      priority: task.priority,
      ...(retryOf === null ? {} : { retry_of: retryOf }),
      ...(task.in_reply_to === null ? {} : { in_reply_to: task.in_reply_to }),
    });
    return task;
  };

  /**
   * Applies one state-machine event to a task. A result for a finished task is a harmless repeat; any
   * other event on a finished task, or one the state does not allow, is a conflict.
   */
  const transition = (
    taskId: string,
    event: TaskEvent,
    actor: Actor,
    allowed: (task: Task) => boolean,
    change: (task: Task, now: number) => (() => void) | void,
    /** What the audit event keeps of this change besides the state (the progress, the question, the answer). */
    detail: (task: Task) => Record<string, unknown> = () => ({}),
  ): Promise<TaskChange> =>
    commit((now) => {
      const task = load(taskId);
      // Before the state is looked at, which would tell a stranger the task exists.
      const permitted = allowed(task);
      if (!permitted && !deps.maySee(actor, task)) throw notFound(taskId);
      if (isTerminal(task.state) && (event === 'complete' || event === 'fail')) return { change: { task, changed: false } };
      const next = nextState(task.state, event);
      if (next === undefined) {
        throw new SwitchboardError('SB_ERR_CONFLICT', `cannot ${event} task "${taskId}": it is ${task.state}`);
      }
      if (!permitted) {
        throw new SwitchboardError('SB_ERR_FORBIDDEN', `agent "${actor.agent}" may not ${event} task "${taskId}"`);
      }
      const previousHolder = task.assigned_to;
      task.state = next;
      task.updated_at = now;
      const extra = change(task, now);
      if (isTerminal(next)) finish(task, now);
      tasks.save(task);
      const name = eventName(event, next);
      audit(task, name, actor.agent, now, {
        ...(previousHolder === null ? {} : { agent: previousHolder }),
        ...(task.error === null ? {} : { error: task.error }),
        ...detail(task),
      });
      return {
        change: { task, changed: true },
        after: () => {
          notifier.changed(task, name);
          extra?.();
          if (isTerminal(next)) {
            deps.callbacks.wake();
            deps.kick();
          } else if (task.lease_until !== null) deps.wakeBy(task.lease_until);
        },
      };
    });

  const holds = (actor: Actor) => (task: Task) => task.assigned_to === actor.agent;
  const owns = (actor: Actor) => (task: Task) => actor.admin || task.from === actor.agent;

  return {
    /** `admin`: the sender holds the admin token, which may read every message (for the `in_reply_to` check). */
    create(from: string, input: NewTask, admin = false): Promise<TaskChange> {
      if (input.in_reply_to !== undefined && !deps.mayReadMessage({ agent: from, admin }, input.in_reply_to)) {
        // One answer for a missing message and one the sender may not read: neither tells that it exists.
        return Promise.reject(new SwitchboardError('SB_ERR_VALIDATION', `in_reply_to: no message ${input.in_reply_to} that "${from}" may read`));
      }
      if (input.callback_url !== undefined) {
        const problem = checkCallbackUrl(input.callback_url, deps.policy);
        if (problem !== undefined) return Promise.reject(new SwitchboardError('SB_ERR_VALIDATION', `callback_url: ${problem}`));
      }
      return commit((now) => {
        if (input.idempotency_key !== undefined) {
          const first = tasks.byIdempotencyKey(from, input.idempotency_key);
          if (first !== undefined) return { change: { task: first, changed: false } };
        }
        const task = insertTask(from, input, now);
        return {
          change: { task, changed: true },
          after: () => {
            notifier.changed(task, 'created');
            deps.kick();
          },
        };
      });
    },

    accept(actor: Actor, taskId: string): Promise<TaskChange> {
      return transition(taskId, 'accept', actor, holds(actor), (task, now) => {
        task.lease_until = now + task.timeout_ms;
        tasks.endAttempt(task.task_id, task.offers, { outcome: 'working', accepted_at: now });
      });
    },

    reject(actor: Actor, taskId: string, reason: string | undefined): Promise<TaskChange> {
      return transition(taskId, 'reject', actor, holds(actor), (task, now) => {
        task.error = reason ?? `rejected by ${actor.agent}`;
        tasks.endAttempt(task.task_id, task.offers, { outcome: 'rejected', detail: task.error, ended_at: now });
      });
    },

    /** Progress renews the lease: a child that reports is not timed out. */
    progress(actor: Actor, taskId: string, progress: unknown, message: string | undefined): Promise<TaskChange> {
      return transition(
        taskId,
        'progress',
        actor,
        holds(actor),
        (task, now) => {
          task.lease_until = now + task.timeout_ms;
          task.progress = {
            ...(progress === undefined ? {} : { value: progress }),
            ...(message === undefined ? {} : { message }),
            at: new Date(now).toISOString(),
          };
        },
        () => ({ ...(progress === undefined ? {} : { progress }), ...(message === undefined ? {} : { message }) }),
      );
    },

    /** The child needs an answer from the master; the lease pauses while the task waits. */
    ask(actor: Actor, taskId: string, question: string): Promise<TaskChange> {
      return transition(
        taskId,
        'ask',
        actor,
        holds(actor),
        (task) => {
          task.question = question;
          task.lease_until = null;
        },
        () => ({ question }),
      );
    },

    answer(actor: Actor, taskId: string, answer: unknown): Promise<TaskChange> {
      return transition(
        taskId,
        'answer',
        actor,
        owns(actor),
        (task, now) => {
          task.question = null;
          task.lease_until = now + task.timeout_ms;
          const holder = task.assigned_to;
          return () => {
            if (holder !== null) notifier.toAllOf(holder, { type: 'task_input', task_id: task.task_id, answer });
          };
        },
        () => ({ answer }),
      );
    },

    /**
     * The result, from the child holding the task, a child that held it before (a late result), a polling
     * worker that found it in the logs while it was unassigned, or the person.
     */
    result(actor: Actor, taskId: string, status: 'completed' | 'failed', result: unknown, error: string | undefined): Promise<TaskChange> {
      return transition(
        taskId,
        status === 'completed' ? 'complete' : 'fail',
        actor,
        (task) =>
          actor.admin || task.assigned_to === null || task.assigned_to === actor.agent || tasks.attempts(task.task_id).some((a) => a.agent === actor.agent),
        (task, now) => {
          const holder = task.assigned_to;
          task.result = result ?? null;
          task.error = status === 'failed' ? (error ?? 'failed') : null;
          if (holder === actor.agent) tasks.endAttempt(task.task_id, task.offers, { outcome: status, detail: task.error, ended_at: now });
          else {
            // Someone else finished it: the holder's attempt was revoked, and a late result belongs to the finisher's last attempt.
            if (holder !== null) tasks.endAttempt(task.task_id, task.offers, { outcome: 'revoked', detail: `finished by ${actor.agent}`, ended_at: now });
            const own = tasks
              .attempts(task.task_id)
              .filter((a) => a.agent === actor.agent)
              .at(-1);
            if (own !== undefined)
              tasks.endAttempt(task.task_id, own.attempt, { outcome: status, detail: task.error ?? `late result; the attempt was ${own.outcome}` });
          }
          task.assigned_to = actor.agent;
          return () => {
            if (holder !== null && holder !== actor.agent) {
              notifier.toAllOf(holder, { type: 'task_revoked', task_id: task.task_id, reason: `finished by ${actor.agent}` });
            }
          };
        },
      );
    },

    cancel(actor: Actor, taskId: string, reason: string | undefined): Promise<TaskChange> {
      return transition(taskId, 'cancel', actor, owns(actor), (task, now) => {
        const holder = task.assigned_to;
        task.error = reason ?? `canceled by ${actor.agent}`;
        if (holder !== null) tasks.endAttempt(task.task_id, task.offers, { outcome: 'canceled', detail: task.error, ended_at: now });
        return () => {
          if (holder !== null) notifier.toAllOf(holder, { type: 'task_canceled', task_id: task.task_id, reason: task.error });
        };
      });
    },

    /** A new task with the same work, linked to the finished one; with `to`, redriven to another agent or role. */
    retry(actor: Actor, taskId: string, to: string | undefined): Promise<TaskChange> {
      return commit((now) => {
        const old = load(taskId);
        const owner = owns(actor)(old);
        if (!owner && !deps.maySee(actor, old)) throw notFound(taskId);
        if (!owner) throw new SwitchboardError('SB_ERR_FORBIDDEN', `agent "${actor.agent}" may not retry task "${taskId}"`);
        if (!isTerminal(old.state)) throw new SwitchboardError('SB_ERR_CONFLICT', `task "${taskId}" is ${old.state}; cancel it before retrying`);
        const task = insertTask(
          old.from,
          {
            to: to ?? old.to,
            type: old.type,
            cmd: old.cmd,
            payload: old.payload,
            ...(old.text === null ? {} : { text: old.text }),
            priority: old.priority,
            timeout_ms: old.timeout_ms,
            max_attempts: old.max_attempts,
            ...(old.callback_url === null ? {} : { callback_url: old.callback_url }),
            // The same work came from the same message: the retry's story starts there too.
            ...(old.in_reply_to === null ? {} : { in_reply_to: old.in_reply_to }),
          },
          now,
          old.task_id,
        );
        audit(old, to === undefined ? 'retried' : 'redriven', actor.agent, now, { new_task_id: task.task_id, ...(to === undefined ? {} : { to }) });
        return {
          change: { task, changed: true },
          after: () => {
            notifier.changed(task, 'created');
            deps.kick();
          },
        };
      });
    },
  };
}

/** The audit and push name of a transition: what happened, in the past tense. */
function eventName(event: TaskEvent, next: string): string {
  const names: Partial<Record<TaskEvent, string>> = {
    accept: 'accepted',
    reject: 'rejected',
    progress: 'progress',
    ask: 'input_required',
    answer: 'answered',
    cancel: 'canceled',
  };
  return names[event] ?? next;
}

/** What a master's callback URL receives when its task finishes. */
export function callbackBody(task: Task): object {
  const record = taskRecord(task);
  return {
    task_id: task.task_id,
    status: seedStatus(task.state),
    state: task.state,
    result: record.result,
    error: record.error,
    from: record.from,
    to: record.to,
    cmd: record.cmd,
    assigned_to: record.assigned_to,
    attempts: record.attempts,
    finished_at: record.finished_at,
  };
}
