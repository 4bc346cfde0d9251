/**
 * The relay worker: offers each due task, highest priority first, to an online agent that matches its
 * `to` (round-robin, within a per-agent limit), and takes back offers and attempts whose lease ran out —
 * retrying them with backoff until `max_attempts`, then failing them (dead letter). One round is one
 * group-committed write; frames go out only after it commits.
 */
import { retryDelayMs, type BackoffPolicy } from '../../../shared/index.js';
import type { CommitQueue } from '../commit-queue.js';
import type { HubConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { Presence } from '../presence.js';
import type { EventStore } from '../store/event-store.js';
import { taskRecord, type Task, type TaskStore } from '../store/task-store.js';
import type { CallbackQueue } from './task-service.js';
import { callbackBody } from './task-service.js';
import type { TaskNotifier } from './task-notifier.js';

/** Due tasks looked at per round; a full round schedules another at once. */
const ROUND_SIZE = 200;

export interface Dispatcher {
  /** Schedules a round soon (coalesced): call when a task is created, finished, or an agent comes online. */
  kick(): void;
  /** Runs one round now and resolves after it committed (tests with an injected clock call this). */
  tick(): Promise<void>;
  /** An agent went offline: its offers that it never accepted go back to the queue at once. */
  agentLeft(agent: string): void;
  close(): void;
}

export function createDispatcher(deps: {
  tasks: TaskStore;
  events: EventStore;
  commits: CommitQueue;
  presence: Presence;
  notifier: TaskNotifier;
  callbacks: CallbackQueue;
  config: HubConfig;
  logger: Logger;
  now: () => number;
  /** A number in [0, 1) for retry jitter; injected so tests are exact. */
  random: () => number;
}): Dispatcher {
  const { tasks, events, notifier, config } = deps;
  const backoff: BackoffPolicy = { baseMs: config.taskRetryBaseMs, maxMs: config.taskRetryMaxMs };
  const turn = new Map<string, number>();
  let queued = false;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  /** Online agents that may take a task sent to `to`: the agent itself, or any whose kind or capabilities name it. */
  const candidates = (to: string): string[] => {
    const matches: string[] = [];
    for (const [agent, profile] of deps.presence.online()) {
      if (agent === to || profile.kind === to || profile.capabilities.includes(to)) matches.push(agent);
    }
    return matches;
  };

  /** The lease ran out: back to the queue with backoff, or failed after the last attempt. */
  const expire = (task: Task, now: number, after: (() => void)[]): void => {
    const holder = task.assigned_to;
    const reason = task.state === 'submitted' ? `${holder ?? 'the agent'} did not accept it in time` : `no result from ${holder ?? 'the agent'} in time`;
    tasks.endAttempt(task.task_id, task.offers, { outcome: 'expired', detail: reason, ended_at: now });
    task.assigned_to = null;
    task.lease_until = null;
    task.updated_at = now;
    let event: string;
    if (task.attempts >= task.max_attempts) {
      task.state = 'failed';
      task.error = `gave up after ${task.attempts} attempt${task.attempts === 1 ? '' : 's'}: ${reason}`;
      task.finished_at = now;
      if (task.callback_url !== null) deps.callbacks.enqueue(task.task_id, task.callback_url, callbackBody(task), now);
      event = 'failed';
    } else {
      task.state = 'submitted';
      task.run_at = now + retryDelayMs(task.attempts, deps.random(), backoff);
      event = 'requeued';
    }
    tasks.save(task);
    events.record(`task.${event}`, now, { subject: task.task_id, detail: { state: task.state, agent: holder, reason, attempts: task.attempts } });
    after.push(() => {
      notifier.changed(task, event);
      if (holder !== null) notifier.toAllOf(holder, { type: 'task_revoked', task_id: task.task_id, reason });
    });
  };

  /** Offers a task to an agent: an attempt begins and a lease to accept it starts. */
  const offer = (task: Task, agent: string, now: number, after: (() => void)[]): void => {
    task.attempts += 1;
    const attempt = ++task.offers;
    task.assigned_to = agent;
    task.lease_until = now + config.taskLeaseMs;
    task.updated_at = now;
    tasks.save(task);
    tasks.startAttempt(task.task_id, attempt, agent, now);
    events.record('task.assigned', now, { subject: task.task_id, detail: { state: task.state, agent, attempt } });
    after.push(() => {
      const record = taskRecord(task);
      notifier.toAgent(agent, { type: 'task_assigned', task: record, attempt, lease_until: record.lease_until });
      notifier.changed(task, 'assigned');
    });
  };

  const round = (now: number, after: (() => void)[]): boolean => {
    for (const task of tasks.expired(now)) expire(task, now, after);
    const due = tasks.due(now, ROUND_SIZE);
    if (due.length === 0) return false;
    const held = tasks.heldCounts();
    for (const task of due) {
      const free = candidates(task.to).filter((agent) => (held.get(agent) ?? 0) < config.maxTasksInFlight);
      if (free.length === 0) continue;
      const index = (turn.get(task.to) ?? 0) % free.length;
      turn.set(task.to, index + 1);
      const agent = free[index] as string;
      offer(task, agent, now, after);
      held.set(agent, (held.get(agent) ?? 0) + 1);
    }
    return due.length === ROUND_SIZE;
  };

  /** Wakes for the next delayed task, backed-off retry or lease expiry. */
  const schedule = (): void => {
    if (closed) return;
    clearTimeout(timer);
    const wake = tasks.nextWake(deps.now());
    if (wake === undefined) return;
    timer = setTimeout(() => dispatcher.kick(), Math.max(0, wake - deps.now()));
    timer.unref();
  };

  const run = (): Promise<void> =>
    new Promise((resolve) => {
      const after: (() => void)[] = [];
      let more = false;
      deps.commits.enqueue({
        apply: () => {
          // A batch that failed is applied again alone: start from a clean list so no frame goes out twice.
          after.length = 0;
          queued = false;
          more = round(deps.now(), after);
        },
        committed: () => {
          for (const effect of after) effect();
          if (more) dispatcher.kick();
          else schedule();
          resolve();
        },
        failed: (error) => {
          deps.logger.error('a dispatch round was not stored; retrying soon', { error: String(error) });
          after.length = 0;
          timer = setTimeout(() => dispatcher.kick(), 1000);
          timer.unref();
          resolve();
        },
      });
    });

  const dispatcher: Dispatcher = {
    kick() {
      if (queued || closed) return;
      queued = true;
      void run();
    },
    tick: run,
    agentLeft(agent) {
      if (closed) return;
      deps.commits.enqueue({
        apply: () => {
          const now = deps.now();
          const released: Task[] = [];
          for (const task of tasks.heldBy(agent)) {
            if (task.state !== 'submitted') continue;
            tasks.endAttempt(task.task_id, task.offers, { outcome: 'withdrawn', detail: `${agent} went offline before accepting`, ended_at: now });
            // Never accepted, so this offer does not count against max_attempts.
            task.attempts -= 1;
            task.assigned_to = null;
            task.lease_until = null;
            task.run_at = now;
            task.updated_at = now;
            tasks.save(task);
            events.record('task.requeued', now, { subject: task.task_id, detail: { state: task.state, agent, reason: 'went offline before accepting' } });
            released.push(task);
          }
          return released;
        },
        committed: (released: Task[]) => {
          for (const task of released) notifier.changed(task, 'requeued');
          if (released.length > 0) dispatcher.kick();
        },
        failed: (error) => deps.logger.error('could not release the offers of an agent that left', { agent, error: String(error) }),
      });
    },
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
  return dispatcher;
}
