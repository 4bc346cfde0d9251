/** Wires the task relay: store, callback sender, pushes, the task service and the dispatcher, reacting to presence. */
import type { CommitQueue } from '../store/commit-queue.js';
import type { HubConfig } from '../config.js';
import type { Logger } from '../../common/logger.js';
import type { Presence } from '../messaging/presence.js';
import type { AgentStore } from '../store/agent-store.js';
import type { Clock } from '../../common/clock.js';
import type { Db } from '../store/database.js';
import type { EventStore } from '../store/event-store.js';
import { createTaskStore, type TaskStore } from '../store/task-store.js';
import { createCallbackSender, type CallbackSender } from './callback-sender.js';
import type { Signer } from './callback-signing.js';
import { createDispatcher, type Dispatcher } from './dispatcher.js';
import { createTaskNotifier, type RemoteAgents, type TaskNotifier } from './task-notifier.js';
import { createTaskReader, type TaskReader } from './task-reader.js';
import { createTaskService, type TaskService } from './task-service.js';
import type { CallbackPolicy } from './ssrf-guard.js';

export interface Relay {
  tasks: TaskStore;
  service: TaskService;
  dispatcher: Dispatcher;
  notifier: TaskNotifier;
  /** Reads of tasks limited to what the caller may see. */
  reader: TaskReader;
  callbacks: CallbackSender;
  /** Stops the dispatcher and waits for callbacks in flight. */
  close(): Promise<void>;
}

export function createRelay(deps: {
  db: Db;
  events: EventStore;
  commits: CommitQueue;
  presence: Presence;
  agents: AgentStore;
  config: HubConfig;
  logger: Logger;
  clock: Clock;
  random: () => number;
  /** Where callbacks may go, and how they are signed. */
  policy: CallbackPolicy;
  sign: Signer;
  /** Agents on other federated hubs (none without federation). */
  remote: RemoteAgents;
  /** May an agent (or the admin token) read a message? For a new task's `in_reply_to`. */
  mayReadMessage: (reader: { agent: string; admin: boolean }, seq: number) => boolean;
}): Relay {
  const now = (): number => deps.clock.now();
  const tasks = createTaskStore(deps.db);
  const callbacks = createCallbackSender({
    db: deps.db,
    clock: deps.clock,
    logger: deps.logger,
    events: deps.events,
    config: deps.config,
    policy: deps.policy,
    sign: deps.sign,
  });
  // Online agents' profiles are in memory; an agent calling over HTTP only is looked up.
  const reader = createTaskReader({ tasks, profileOf: (agent) => deps.presence.online().get(agent) ?? deps.agents.get(agent) });
  const notifier = createTaskNotifier(deps.presence, reader.maySee, deps.remote);
  const common = { tasks, events: deps.events, commits: deps.commits, notifier, callbacks, config: deps.config, now };
  const dispatcher = createDispatcher({ ...common, presence: deps.presence, remote: deps.remote, logger: deps.logger, random: deps.random });
  const service = createTaskService({
    ...common,
    maySee: reader.maySee,
    mayReadMessage: deps.mayReadMessage,
    policy: deps.policy,
    kick: () => dispatcher.kick(),
    wakeBy: (time) => dispatcher.wakeBy(time),
  });
  // Every connection, not only an agent's first: a new one may announce the role or capability a task waits for.
  deps.presence.on('joined', () => dispatcher.kick());
  deps.presence.on('offline', (agent) => dispatcher.agentLeft(agent));
  return {
    tasks,
    service,
    dispatcher,
    notifier,
    reader,
    callbacks,
    async close() {
      dispatcher.close();
      await callbacks.close();
    },
  };
}
