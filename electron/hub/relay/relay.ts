/** Wires the task relay: store, callback sender, pushes, the task service and the dispatcher, reacting to presence. */
import type { CommitQueue } from '../commit-queue.js';
import type { HubConfig } from '../config.js';
import type { Logger } from '../logger.js';
import type { Presence } from '../presence.js';
import type { Clock } from '../services.js';
import type { Db } from '../store/database.js';
import type { EventStore } from '../store/event-store.js';
import { createTaskStore, type TaskStore } from '../store/task-store.js';
import { createCallbackSender, type CallbackSender } from './callback-sender.js';
import { createDispatcher, type Dispatcher } from './dispatcher.js';
import { createTaskNotifier, type TaskNotifier } from './task-notifier.js';
import { createTaskService, type TaskService } from './task-service.js';

export interface Relay {
  tasks: TaskStore;
  service: TaskService;
  dispatcher: Dispatcher;
  notifier: TaskNotifier;
  callbacks: CallbackSender;
  /** Stops the dispatcher and waits for callbacks in flight. */
  close(): Promise<void>;
}

export function createRelay(deps: {
  db: Db;
  events: EventStore;
  commits: CommitQueue;
  presence: Presence;
  config: HubConfig;
  logger: Logger;
  clock: Clock;
  random: () => number;
}): Relay {
  const now = (): number => deps.clock.now();
  const tasks = createTaskStore(deps.db);
  const callbacks = createCallbackSender({ db: deps.db, clock: deps.clock, logger: deps.logger, events: deps.events, config: deps.config });
  const notifier = createTaskNotifier(deps.presence);
  const common = { tasks, events: deps.events, commits: deps.commits, notifier, callbacks, config: deps.config, now };
  const dispatcher = createDispatcher({ ...common, presence: deps.presence, logger: deps.logger, random: deps.random });
  const service = createTaskService({ ...common, kick: () => dispatcher.kick(), wakeBy: (time) => dispatcher.wakeBy(time) });
  // Every connection, not only an agent's first: a new one may announce the role or capability a task waits for.
  deps.presence.on('joined', () => dispatcher.kick());
  deps.presence.on('offline', (agent) => dispatcher.agentLeft(agent));
  return {
    tasks,
    service,
    dispatcher,
    notifier,
    callbacks,
    async close() {
      dispatcher.close();
      await callbacks.close();
    },
  };
}
