/**
 * The relay worker: offers each due task, highest priority first, to an online agent that matches its
 * `to` (round-robin, within a per-agent limit), and takes back offers and attempts whose lease ran out —
 * retrying them with backoff until `max_attempts`, then failing them (dead letter). One round is one
 * group-committed write; frames go out only after it commits.
 */
import { retryDelayMs, type BackoffPolicy } from '../../../shared/index.js';
import type { CommitQueue } from '../store/commit-queue.js';
import type { HubConfig } from '../config.js';
import type { Logger } from '../../common/logger.js';
import type { Presence } from '../messaging/presence.js';
import type { EventStore } from '../store/event-store.js';
import { taskRecord, type Task, type TaskStore } from '../store/task-store.js';
import type { CallbackQueue } from './task-service.js';
import { callbackBody } from './task-service.js';
import type { RemoteAgents, RemoteProfile, TaskNotifier } from './task-notifier.js';

/** Due tasks looked at per round; a full round schedules another at once. */
const ROUND_SIZE = 200;

/** Starts a timer; injected so a test on a manual clock decides when it fires. Returns its cancel. */
export type SetTimer = (fire: () => void, ms: number) => () => void;

const realTimer: SetTimer = (fire, ms) => {
  const timer = setTimeout(fire, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

export interface Dispatcher {
  /** Schedules a round soon (coalesced): call when a task is created, finished, or an agent comes online. */
  kick(): void;
  /** Runs one round now and resolves after it committed (tests with an injected clock call this). */
  tick(): Promise<void>;
  /** Makes sure a round runs by `time` (a lease was set or moved to end then). */
  wakeBy(time: number): void;
  /** An agent went offline: its offers that it never accepted go back to the queue at once. */
  agentLeft(agent: string): void;
  close(): void;
}

export function createDispatcher(deps: {
  tasks: TaskStore;
  events: EventStore;
  commits: CommitQueue;
  presence: Pick<Presence, 'online'>;
  /** Agents on other federated hubs, offered a task when no agent here matches it. */
  remote?: Pick<RemoteAgents, 'online'>;
  notifier: Pick<TaskNotifier, 'changed' | 'toAgent' | 'toAllOf'>;
  callbacks: CallbackQueue;
  config: HubConfig;
  logger: Logger;
  now: () => number;
  /** A number in [0, 1) for retry jitter; injected so tests are exact. */
  random: () => number;
  setTimer?: SetTimer;
  /** Due tasks looked at per round (tests make it small). */
  roundSize?: number;
}): Dispatcher {
  const { tasks, events, notifier, config } = deps;
  const backoff: BackoffPolicy = { baseMs: config.taskRetryBaseMs, maxMs: config.taskRetryMaxMs };
  const setTimer = deps.setTimer ?? realTimer;
  const roundSize = deps.roundSize ?? ROUND_SIZE;
  const turn = new Map<string, number>();
  let queued = false;
  let cancelTimer = (): void => {};
  let closed = false;

  /**
   * Online agents that may take a task sent to `to`: the agent itself, or any whose kind or capabilities name
   * it; when none is here, those online on other federated hubs.
   */
  const candidates = (to: string): string[] => {
    const matching = (online: ReadonlyMap<string, RemoteProfile>): string[] => {
      const matches: string[] = [];
      for (const [agent, profile] of online) {
        if (profile.id === to || profile.kind === to || profile.capabilities.includes(to)) matches.push(agent);
      }
      return matches;
    };
    const here = matching(deps.presence.online());
    return here.length > 0 || deps.remote === undefined ? here : matching(deps.remote.online());
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

  /**
   * Takes back what ran out, then offers due tasks. Only tasks some free agent could take are read, so
   * a full round always offers at least one and queued tasks nobody can take never crowd out the rest.
   */
  const round = (now: number, after: (() => void)[]): boolean => {
    for (const task of tasks.expired(now)) expire(task, now, after);
    // Most rounds (an agent connecting, a task finishing) find nothing queued: skip gathering every online
    // agent's roles, which would make connecting N agents cost N² when nothing waits.
    if (!tasks.anyDue(now)) return false;
    const held = tasks.heldCounts();
    const isFree = (agent: string): boolean => (held.get(agent) ?? 0) < config.maxTasksInFlight;
    const targets = new Set<string>();
    for (const online of deps.remote === undefined ? [deps.presence.online()] : [deps.presence.online(), deps.remote.online()]) {
      for (const [agent, profile] of online) {
        if (!isFree(agent)) continue;
        targets.add(profile.id);
        if (profile.kind !== null) targets.add(profile.kind);
        for (const capability of profile.capabilities) targets.add(capability);
      }
    }
    if (targets.size === 0) return false;
    const due = tasks.due(now, [...targets], roundSize);
    for (const task of due) {
      const free = candidates(task.to).filter(isFree);
      if (free.length === 0) continue;
      const index = (turn.get(task.to) ?? 0) % free.length;
      turn.set(task.to, index + 1);
      const agent = free[index] as string;
      offer(task, agent, now, after);
      held.set(agent, (held.get(agent) ?? 0) + 1);
    }
    return due.length === roundSize;
  };

  /** When the armed timer fires, if one is armed. */
  let wakeAt: number | undefined;

  const arm = (at: number): void => {
    cancelTimer();
    wakeAt = at;
    cancelTimer = setTimer(
      () => {
        wakeAt = undefined;
        dispatcher.kick();
      },
      Math.max(0, at - deps.now()),
    );
  };

  /**
   * Wakes for the next delayed task, backed-off retry or lease expiry after the round that ran at
   * `roundAt`. Measured from the round's own time, not the time now: a task that fell due while the round
   * committed is not offered yet and must still wake the dispatcher (at once).
   */
  const schedule = (roundAt: number): void => {
    if (closed) return;
    const wake = tasks.nextWake(roundAt);
    if (wake === undefined) {
      cancelTimer();
      wakeAt = undefined;
    } else arm(wake);
  };

  const run = (): Promise<void> =>
    new Promise((resolve) => {
      const after: (() => void)[] = [];
      let more = false;
      let roundAt = 0;
      deps.commits.enqueue({
        apply: () => {
          // A batch that failed is applied again alone: start from a clean list so no frame goes out twice.
          after.length = 0;
          queued = false;
          roundAt = deps.now();
          more = round(roundAt, after);
        },
        committed: () => {
          // The next wake-up first, so a frame that cannot be sent never leaves the dispatcher asleep.
          if (more) dispatcher.kick();
          else schedule(roundAt);
          for (const effect of after) effect();
          resolve();
        },
        failed: (error) => {
          deps.logger.error('a dispatch round was not stored; retrying soon', { error: String(error) });
          after.length = 0;
          arm(deps.now() + 1000);
          resolve();
        },
      });
    });

  const dispatcher: Dispatcher = {
    kick() {
      if (queued || closed) return;
      queued = true;
      // Not awaited: a round never rejects; one that was not stored is logged and tried again.
      void run();
    },
    tick: run,
    wakeBy(time) {
      if (closed || (wakeAt !== undefined && wakeAt <= time)) return;
      arm(time);
    },
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
      cancelTimer();
    },
  };
  return dispatcher;
}
