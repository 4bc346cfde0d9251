/**
 * The Switchboard agent SDK for Node: `const agent = await connect()` reads connection.json from the data
 * folder and connects; sends survive disconnects and restarts (outbox on disk), subscriptions resume from
 * the last seq, and `agent.handle(cmd, fn)` runs tasks without ever running a finished one twice.
 */
import { webcrypto } from 'node:crypto';
import { join } from 'node:path';
import WebSocket from 'ws';
import { readConnectionFile, connectionFilePath } from '../electron/common/connection-file.js';
import { resolveDataDir } from '../electron/common/data-dir.js';
import {
  answerTextMessages,
  openStream,
  trackInteraction,
  type InteractionTracker,
  SwitchboardClient,
  TaskWorker,
  webSocketTransport,
  type ClientEvents,
  type ClientOptions,
  type MessageStream,
  type SendOptions,
  type TaskHandler,
  type TextMessageHandler,
} from '../shared/client/index.js';
import type { StoredMessage } from '../shared/index.js';
// From its own module, not the protocol index: the SDK must load without zod (an optional dependency).
import { TEXT_MESSAGE_CAPABILITY } from '../shared/protocol/capabilities.js';
import { fileFinishedTasks, fileOutboxStore } from './file-stores.js';
import { warnOnOutboxDrops } from './outbox-warning.js';

// The client core takes ids from the Web Crypto API, which Node exposes as a global only from 19 on;
// on Node 18 the SDK provides the same object, so agents there need no flag.
if (globalThis.crypto === undefined) Object.defineProperty(globalThis, 'crypto', { value: webcrypto, configurable: true });

export * from '../shared/client/index.js';
export type { StoredMessage, TaskRecord } from '../shared/index.js';

export interface ConnectOptions extends Partial<Pick<ClientOptions, 'agent' | 'profile' | 'outboxCapacity' | 'reconnect' | 'random'>> {
  /** Hub WebSocket URL; default from connection.json. */
  url?: string;
  /** Token; default the admin token from connection.json. */
  token?: string;
  /** Data folder holding connection.json (default SWITCHBOARD_HOME, else the app-data folder). */
  dataDir?: string;
  /**
   * Folder for this agent's outbox and finished tasks (default DATA_DIR/agents/<agent>); `false` keeps
   * them in memory only.
   */
  stateDir?: string | false;
  /**
   * Listeners attached before the first connection, so they also see what happens while `connect()`
   * is still pending: the first `connecting` and `connected` statuses, or a failed first attempt.
   */
  on?: ClientListeners;
  /** Where warnings go, such as the outbox dropping its oldest sends (default: standard error). */
  warn?: (line: string) => void;
}

/** One listener per client event, e.g. `{ status: (s) => …, gap: (receipt) => … }`. */
export type ClientListeners = { [K in keyof ClientEvents]?: (...args: ClientEvents[K]) => void };

/** An agent: the client core plus task handling and streaming. */
export class Agent extends SwitchboardClient {
  private worker: TaskWorker | undefined;
  private readonly stateDir: string | false;
  private readonly capabilities: readonly string[];

  constructor(options: ClientOptions, stateDir: string | false) {
    super(options);
    this.stateDir = stateDir;
    this.capabilities = options.profile?.capabilities ?? [];
  }

  /** Runs `handler` for every task with this `cmd` offered to this agent. */
  handle(cmd: string, handler: TaskHandler): this {
    this.worker ??= new TaskWorker(this, this.stateDir === false ? undefined : fileFinishedTasks(join(this.stateDir, 'finished-tasks.json')));
    this.worker.handle(cmd, handler);
    return this;
  }

  /**
   * Answers the `text_message` questions the hub routes to this agent (the chat backend seed's frame):
   * `handler(text, reply)` returns the answer, or streams it with `reply.write(chunk)` and `reply.end()`.
   * The hub offers questions only to connections that declared the capability when they connected.
   */
  answerTextMessages(handler: TextMessageHandler): () => void {
    if (!this.capabilities.includes(TEXT_MESSAGE_CAPABILITY)) {
      throw new Error(
        `declare the capability when connecting, or the hub sends this agent no questions: connect({ profile: { capabilities: ['${TEXT_MESSAGE_CAPABILITY}'] } })`,
      );
    }
    return answerTextMessages(this, handler);
  }

  /** Starts a streamed message in a conversation (or to an agent with `{ to }`). */
  stream(conversation: string | { to: string }, options: { type?: string } = {}): Promise<MessageStream> {
    return openStream(this, typeof conversation === 'string' ? { conversation_id: conversation } : conversation, options);
  }

  /** Times `work` and reports it as an interaction (seed metrics frame): intent, tools, response time, success. */
  trackInteraction<T>(input: string, work: (tracker: InteractionTracker) => T | Promise<T>, options?: { sessionId?: string }): Promise<T> {
    return trackInteraction(this, input, work, options);
  }

  /** A conversation's handle: send, subscribe, stream. */
  conversation(id: string) {
    return {
      send: (content: string, options?: SendOptions): Promise<StoredMessage> => this.send(id, content, options),
      subscribe: (handler: (message: StoredMessage) => void, options?: { since?: number }) => this.subscribe([id], handler, options),
      stream: (options?: { type?: string }): Promise<MessageStream> => this.stream(id, options),
    };
  }
}

/** Connects to the hub with no configuration (connection.json), or with an explicit url and token. */
export async function connect(options: ConnectOptions = {}): Promise<Agent> {
  const dataDir = resolveDataDir(options.dataDir);
  let { url, token } = options;
  if (url === undefined || token === undefined) {
    const info = readConnectionFile(dataDir);
    if (info === undefined) throw new Error(`No Switchboard hub found: ${connectionFilePath(dataDir)} is missing. Start one with: switchboard serve`);
    url ??= info.url;
    token ??= info.token;
  }
  const stateDir = options.stateDir ?? join(dataDir, 'agents', options.agent ?? 'default');
  const clientOptions: ClientOptions = {
    url,
    token,
    transport: webSocketTransport(WebSocket),
    ...(stateDir === false ? {} : { outbox: fileOutboxStore(join(stateDir, 'outbox.json')) }),
    ...(options.agent === undefined ? {} : { agent: options.agent }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.outboxCapacity === undefined ? {} : { outboxCapacity: options.outboxCapacity }),
    ...(options.reconnect === undefined ? {} : { reconnect: options.reconnect }),
    ...(options.random === undefined ? {} : { random: options.random }),
  };
  const agent = new Agent(clientOptions, stateDir);
  const warn = options.warn ?? ((line: string) => process.stderr.write(line));
  warnOnOutboxDrops(agent, options.outboxCapacity ?? 1000, warn);
  agent.on('waiting', (waiting) => warn(`switchboard: ${waiting.message}\n`));
  agent.on('refused', (error) => warn(`switchboard: the hub refused this agent for good (${error.code}: ${error.message}); it does not reconnect\n`));
  const listeners = options.on ?? {};
  for (const event of Object.keys(listeners) as (keyof ClientEvents)[]) listen(agent, listeners, event);
  await agent.start();
  return agent;
}

function listen<K extends keyof ClientEvents>(agent: Agent, listeners: ClientListeners, event: K): void {
  const listener = listeners[event];
  if (listener !== undefined) agent.on(event, listener);
}
