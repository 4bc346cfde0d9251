/**
 * Everything that speaks NATS: the connection (reconnecting for as long as the hub runs), the stream and
 * this hub's durable consumer, publishing with a message id, and consuming. Loaded only when federation is
 * on (see index.ts), so a hub without it never loads the NATS client.
 */
import { readFileSync } from 'node:fs';
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  JetStreamApiError,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { connect, credsAuthenticator, nanos, nkeyAuthenticator, type NatsConnection, type NodeConnectionOptions } from '@nats-io/transport-node';
import type { FederationSettings } from './settings.js';
import { SUBJECT_PREFIX } from './wire-format.js';
import { TASK_SUBJECT_PREFIX, taskSubjectOf } from './task-bridge.js';

/** JetStream drops a message id it has seen within this window: a republish after a crash stores nothing. */
const DUPLICATE_WINDOW_MS = 10 * 60_000;
/** Time a delivered message may stay unacknowledged (its commit) before JetStream delivers it again. */
const ACK_WAIT_MS = 30_000;

export interface LinkEvents {
  connected(server: string): void;
  disconnected(reason: string): void;
}

export interface NatsLink {
  /**
   * Connects and makes sure the stream and this hub's consumer exist; rejects when the server cannot be
   * reached (the caller tries again). Once connected, the client reconnects by itself after outages.
   */
  open(): Promise<void>;
  /** Publishes to the stream that takes `subject`; with a message id, JetStream stores it once. */
  publish(subject: string, data: string, messageId?: string): Promise<void>;
  /** Delivers the consumer's messages in stream order until close(); `handle` acks or naks each. */
  consume(handle: (message: JsMsg) => void): Promise<void>;
  /** Delivers the task messages addressed to this hub, in order, until close(). */
  consumeTasks(handle: (message: JsMsg) => void): Promise<void>;
  /** The connection, once open. */
  connection(): NatsConnection | undefined;
  /** Messages in the stream this hub's consumer has not acknowledged yet, or undefined when not connected. */
  consumerPending(): Promise<number | undefined>;
  close(): Promise<void>;
}

function connectionOptions(settings: FederationSettings): NodeConnectionOptions {
  const options: NodeConnectionOptions = {
    servers: settings.url,
    name: `switchboard-${settings.hubId}`,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
  };
  if (settings.user !== undefined) Object.assign(options, { user: settings.user, pass: settings.password });
  if (settings.token !== undefined) options.token = settings.token;
  if (settings.nkeySeedFile !== undefined)
    options.authenticator = nkeyAuthenticator(new TextEncoder().encode(readFileSync(settings.nkeySeedFile, 'utf8').trim()));
  if (settings.credsFile !== undefined) options.authenticator = credsAuthenticator(readFileSync(settings.credsFile));
  if (settings.tls !== undefined) options.tls = Object.fromEntries(Object.entries(settings.tls).filter(([, file]) => file !== undefined));
  return options;
}

const notFound = (error: unknown): boolean => error instanceof JetStreamApiError && (error.code === 10059 || error.code === 10014);

/** Makes the stream (file storage, `settings.replicas`) and a durable consumer of it, unless they exist. */
async function ensureIn(manager: JetStreamManager, replicas: number, stream: string, subjects: string, durable: string, filter: string): Promise<void> {
  try {
    await manager.streams.info(stream);
  } catch (error) {
    if (!notFound(error)) throw error;
    await manager.streams.add({
      name: stream,
      subjects: [subjects],
      storage: StorageType.File,
      num_replicas: replicas,
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    });
  }
  try {
    await manager.consumers.info(stream, durable);
  } catch (error) {
    if (!notFound(error)) throw error;
    await manager.consumers.add(stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: filter,
      ack_wait: nanos(ACK_WAIT_MS),
      max_ack_pending: 10_000,
    });
  }
}

export function createNatsLink(settings: FederationSettings, events: LinkEvents): NatsLink {
  const durable = `hub-${settings.hubId}`;
  let connection: NatsConnection | undefined;
  let client: JetStreamClient | undefined;
  let closed = false;
  let stopConsuming: (() => void) | undefined;
  let stopTasks: (() => void) | undefined;

  const ensure = (manager: JetStreamManager, stream: string, subjects: string, name: string, filter: string): Promise<void> =>
    ensureIn(manager, settings.replicas, stream, subjects, name, filter);

  const setUp = async (nc: NatsConnection): Promise<void> => {
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect') events.disconnected(`lost the connection to ${status.server}`);
        if (status.type === 'reconnect') events.connected(status.server);
      }
    })();
    const manager = await jetstreamManager(nc);
    await ensure(manager, settings.stream, `${SUBJECT_PREFIX}.*`, durable, `${SUBJECT_PREFIX}.*`);
    await ensure(manager, `${settings.stream}-tasks`, `${TASK_SUBJECT_PREFIX}.*`, `tasks-${settings.hubId}`, taskSubjectOf(settings.hubId));
    client = jetstream(nc);
    events.connected(nc.getServer());
  };

  const jetStream = (): JetStreamClient => {
    if (client === undefined) throw new Error('not connected to NATS yet');
    return client;
  };

  return {
    async open() {
      const nc = await connect(connectionOptions(settings));
      connection = nc;
      try {
        if (closed) throw new Error('closed');
        await setUp(nc);
      } catch (error) {
        connection = undefined;
        await nc.close();
        throw error;
      }
    },
    async publish(subject, data, messageId) {
      await jetStream().publish(subject, data, messageId === undefined ? {} : { msgID: messageId });
    },
    async consume(handle) {
      const consumer = await jetStream().consumers.get(settings.stream, durable);
      const messages = await consumer.consume({ max_messages: 1000, expires: 5000 });
      stopConsuming = () => void messages.close();
      for await (const message of messages) handle(message);
    },
    connection: () => connection,
    async consumeTasks(handle) {
      const consumer = await jetStream().consumers.get(`${settings.stream}-tasks`, `tasks-${settings.hubId}`);
      const messages = await consumer.consume({ max_messages: 100, expires: 5000 });
      stopTasks = () => void messages.close();
      for await (const message of messages) handle(message);
    },
    async consumerPending() {
      if (client === undefined || connection?.isClosed() !== false) return undefined;
      try {
        const consumer = await client.consumers.get(settings.stream, durable);
        const info = await consumer.info(false);
        return info.num_pending + info.num_ack_pending;
      } catch {
        return undefined;
      }
    },
    async close() {
      closed = true;
      stopConsuming?.();
      stopTasks?.();
      await connection?.close();
    },
  };
}
