/**
 * The task relay without sockets: the real task store on a real SQLite file, the real commit queue, task
 * service and dispatcher, on a clock and timers the test moves. Agents come and go through a roster (what
 * the dispatcher reads of presence) and receive their offers in an inbox.
 */
import { join } from 'node:path';
import { createCommitQueue, type CommitQueue } from '../../electron/hub/store/commit-queue.js';
import { resolveConfig, type HubSettings } from '../../electron/hub/config.js';
import { silentLogger } from '../../electron/common/logger.js';
import { createDispatcher, type Dispatcher } from '../../electron/hub/relay/dispatcher.js';
import { createTaskService, type TaskService } from '../../electron/hub/relay/task-service.js';
import type { AgentRow } from '../../electron/hub/store/agent-store.js';
import { closeDatabase, openDatabase, type Db } from '../../electron/hub/store/database.js';
import { createEventStore } from '../../electron/hub/store/event-store.js';
import { createTaskStore, type TaskStore } from '../../electron/hub/store/task-store.js';
import { tempDir } from './hub.js';

/**
 * A clock that moves when the test advances it, and by `drift()` ms on every read by the relay: time
 * passes while the relay works, as it does on a busy machine.
 */
export interface DriftingClock {
  now(): number;
  /** The time, without moving it. */
  peek(): number;
  advance(ms: number): void;
}

export function driftingClock(start: number, drift: () => number): DriftingClock {
  let time = start;
  return {
    now: () => (time += drift()),
    peek: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}

/** Timers that fire only when the test says so, at or after their time on the clock. */
export function manualTimers(clock: DriftingClock) {
  const pending = new Map<number, { at: number; fire: () => void }>();
  let ids = 0;
  return {
    set(fire: () => void, ms: number): () => void {
      const id = ++ids;
      pending.set(id, { at: clock.peek() + ms, fire });
      return () => pending.delete(id);
    },
    /** Fires the timers that are due; true when any fired. */
    fireDue(): boolean {
      const due = [...pending].filter(([, timer]) => timer.at <= clock.peek()).sort((a, b) => a[1].at - b[1].at);
      for (const [id, timer] of due) {
        pending.delete(id);
        timer.fire();
      }
      return due.length > 0;
    },
    /** The time of the earliest timer set and not cancelled, if any. */
    earliest(): number | undefined {
      const times = [...pending.values()].map((timer) => timer.at);
      return times.length === 0 ? undefined : Math.min(...times);
    },
  };
}

export interface RelayHarness {
  db: Db;
  tasks: TaskStore;
  service: TaskService;
  dispatcher: Dispatcher;
  clock: DriftingClock;
  timers: ReturnType<typeof manualTimers>;
  /** The online agents and their profiles, as the dispatcher sees them. */
  roster: Map<string, AgentRow>;
  /** The offers each online agent received and has not lost (a disconnect loses them), by agent. */
  inbox: Map<string, Set<string>>;
  connect(agent: string, kind: string | null): void;
  disconnect(agent: string): void;
  /** Lets commits, rounds and due timers run until nothing is left to do; throws when that never happens. */
  settle(): Promise<void>;
  close(): void;
}

export function startRelayHarness(options: { settings: Partial<HubSettings>; clock: DriftingClock; random: () => number; roundSize?: number }): RelayHarness {
  const config = resolveConfig({ ...options.settings, dataDir: tempDir() });
  const db = openDatabase(join(config.dataDir, 'relay.db'));
  const clock = options.clock;
  const timers = manualTimers(clock);
  const real = createCommitQueue(db, silentLogger);
  let inFlight = 0;
  // The real queue, counting the writes not yet reported, so `settle` knows when the relay is idle.
  const commits: CommitQueue = {
    ...real,
    enqueue(write) {
      inFlight++;
      real.enqueue({
        apply: () => write.apply(),
        committed: (value) => {
          inFlight--;
          write.committed(value);
        },
        failed: (error) => {
          inFlight--;
          write.failed(error);
        },
      });
    },
  };
  const roster = new Map<string, AgentRow>();
  const inbox = new Map<string, Set<string>>();
  const notifier = {
    changed() {},
    toAgent(agent: string, frame: object): boolean {
      const offers = inbox.get(agent);
      if (offers === undefined) return false;
      offers.add((frame as { task: { task_id: string } }).task.task_id);
      return true;
    },
    toAllOf(agent: string, frame: object): void {
      const { type, task_id } = frame as { type: string; task_id: string };
      if (type === 'task_revoked' || type === 'task_canceled') inbox.get(agent)?.delete(task_id);
    },
  };
  const tasks = createTaskStore(db);
  const events = createEventStore(db);
  const callbacks = { enqueue() {}, wake() {} };
  const now = (): number => clock.now();
  const common = { tasks, events, commits, notifier, callbacks, config, now };
  const dispatcher = createDispatcher({
    ...common,
    presence: { online: () => roster },
    logger: silentLogger,
    random: options.random,
    setTimer: timers.set,
    ...(options.roundSize === undefined ? {} : { roundSize: options.roundSize }),
  });
  const service = createTaskService({
    ...common,
    // The harness acts as the hub's own trusted callers: who may see which task is tested elsewhere.
    maySee: () => true,
    // No messages here: a task naming one is refused.
    mayReadMessage: () => false,
    policy: { allowedHosts: [], hubHost: '127.0.0.1', hubPort: () => 0 },
    kick: () => dispatcher.kick(),
    wakeBy: (time) => dispatcher.wakeBy(time),
  });

  return {
    db,
    tasks,
    service,
    dispatcher,
    clock,
    timers,
    roster,
    inbox,
    // As the relay follows presence: an agent's first connection kicks the dispatcher, its last one leaving releases its offers.
    connect(agent, kind) {
      roster.set(agent, { id: agent, display_name: null, kind, capabilities: [], last_seen: clock.peek() });
      inbox.set(agent, new Set());
      dispatcher.kick();
    },
    disconnect(agent) {
      roster.delete(agent);
      inbox.delete(agent);
      dispatcher.agentLeft(agent);
    },
    async settle() {
      for (let turn = 0; turn < 2000; turn++) {
        await new Promise((resolve) => setImmediate(resolve));
        const fired = timers.fireDue();
        if (!fired && inFlight === 0) return;
      }
      throw new Error('the dispatcher never went idle: it keeps running rounds');
    },
    close() {
      dispatcher.close();
      closeDatabase(db);
    },
  };
}
