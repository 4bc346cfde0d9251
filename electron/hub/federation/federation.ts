/**
 * Federation: this hub's messages in shared conversations go to a JetStream stream, and the stream's
 * messages from other hubs come back into this hub as if sent here, marked with their hub.
 *
 * Local-first: sends are acknowledged after the local commit whatever NATS is doing; the outbox (a cursor)
 * publishes them when NATS is reachable, and this hub's durable consumer brings what other hubs sent while
 * it was away, in stream order. Each remote message is stored once: (origin hub, origin seq) is unique and
 * it is acknowledged to JetStream only after its commit.
 */
import type { JsMsg } from '@nats-io/jetstream';
import type { Logger } from '../../common/logger.js';
import type { CommitQueue } from '../store/commit-queue.js';
import type { Db } from '../store/database.js';
import type { Messaging } from '../messaging/messaging.js';
import type { AgentInfo, FederationStatus } from '../../../shared/protocol/index.js';
import type { Presence } from '../messaging/presence.js';
import { createNatsLink } from './nats-link.js';
import { openPresenceBoard, type PresenceBoard } from './presence-board.js';
import { createTaskBridge } from './task-bridge.js';
import type { Relay } from '../relay/relay.js';
import type { RemoteProfile } from '../relay/task-notifier.js';
import { createFederationOutbox } from './outbox.js';
import { conversationMatcher, type FederationSettings } from './settings.js';
import { decode, encode, subjectOf } from './wire-format.js';

/** Local messages read from the outbox and published together. */
const PUBLISH_PAGE = 500;
/** Wait before trying NATS again after a failure, in ms. */
const RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

export interface FederationDeps {
  settings: FederationSettings;
  db: Db;
  commits: CommitQueue;
  messaging: Pick<Messaging, 'storeRemote' | 'onMessage'>;
  presence: Pick<Presence, 'on' | 'list'>;
  relay: Pick<Relay, 'service' | 'notifier' | 'tasks' | 'dispatcher'>;
  logger: Logger;
  now: () => number;
}

export interface Federation {
  status(): Promise<FederationStatus>;
  /** Agents online on the other hubs (shared through a key-value bucket), each with its `hub`. */
  remoteAgents(): AgentInfo[];
  /** Agents online on other hubs, by `agent@hub`, for the relay's dispatcher. */
  remoteProfiles(): ReadonlyMap<string, RemoteProfile>;
  /** Whether `agent@hub` names an agent of another hub. */
  ownsAgent(name: string): boolean;
  /** Sends a relay frame (offer, answer, cancel) to an agent of another hub. */
  sendToAgent(name: string, frame: object): boolean;
  close(): Promise<void>;
}

export function startFederation(deps: FederationDeps): Federation {
  const { settings, logger } = deps;
  const { hubId } = settings;
  const shared = conversationMatcher(settings.conversations);
  const outbox = createFederationOutbox(deps.db, deps.commits, hubId, shared);
  const subject = subjectOf(hubId);
  const state = {
    connected: false,
    server: null as string | null,
    published: 0,
    received: 0,
    refused: 0,
    lastError: null as { at: string; message: string } | null,
  };
  let closed = false;
  let board: PresenceBoard | undefined;
  const waits = new Set<{ timer: NodeJS.Timeout; done: () => void }>();

  /** Resolves after `ms`, or at once when federation closes. */
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const wait = { timer: setTimeout(() => (waits.delete(wait), resolve()), ms), done: resolve };
      waits.add(wait);
    });

  const failed = (what: string, error: unknown): void => {
    const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
    state.lastError = { at: new Date(deps.now()).toISOString(), message };
    logger.warn('federation', { error: message });
  };

  const link = createNatsLink(settings, {
    connected: (server) => {
      state.connected = true;
      state.server = server;
      kick();
    },
    disconnected: () => {
      state.connected = false;
    },
  });

  // Publishing: one run at a time; a message stored meanwhile asks for another run.
  let publishing = false;
  let again = false;
  function kick(): void {
    if (closed || !state.connected) return;
    if (publishing) {
      again = true;
      return;
    }
    publishing = true;
    void publishAll().finally(() => {
      publishing = false;
      if (again) kick();
    });
  }

  async function publishAll(): Promise<void> {
    again = false;
    try {
      for (let page = outbox.next(PUBLISH_PAGE); page !== undefined && !closed; page = outbox.next(PUBLISH_PAGE)) {
        // Sent together on one connection, they reach the stream in seq order.
        await Promise.all(page.messages.map((message) => link.publish(subject, encode(message), `${hubId}:${message.origin_seq}`)));
        await outbox.moveTo(page.upTo);
        state.published += page.messages.length;
      }
    } catch (error) {
      if (closed) return;
      failed('could not publish to NATS', error);
      await pause(RETRY_MS);
      again = true;
    }
  }

  const receive = (message: JsMsg): void => {
    const decoded = decode(message.subject, message.string());
    if ('refused' in decoded) {
      state.refused++;
      logger.warn('refused a message from the federation stream', { subject: message.subject, seq: message.seq, reason: decoded.refused });
      message.term();
      return;
    }
    const remote = decoded.message;
    if (remote.origin_hub === hubId || !shared(remote.conversation_id)) {
      message.ack();
      return;
    }
    deps.messaging.storeRemote(
      remote,
      (created) => {
        if (created) state.received++;
        message.ack();
      },
      (error) => {
        failed('could not store a message from another hub', error);
        message.nak(RETRY_MS);
      },
    );
  };

  const run = async (): Promise<void> => {
    // Until the first connection: 1 s, doubling up to half a minute, so a wrong password is not a log line a second.
    for (let attempt = 0; !closed; attempt++) {
      try {
        await link.open();
        break;
      } catch (error) {
        if (closed) return;
        failed('could not reach NATS', error);
        await pause(Math.min(MAX_RETRY_MS, RETRY_MS * 2 ** attempt));
      }
    }
    const connection = link.connection();
    if (connection !== undefined && !closed) {
      try {
        board = await openPresenceBoard({
          connection,
          bucket: `${settings.stream}-presence`,
          replicas: settings.replicas,
          hubId,
          presence: deps.presence,
          connected: () => state.connected,
          joined: () => deps.relay.dispatcher.kick(),
          left: (name) => deps.relay.dispatcher.agentLeft(name),
          now: deps.now,
          failed,
        });
        if (closed) await board.close();
      } catch (error) {
        // Messages still cross; only the other hubs' agents are missing from the listings.
        failed('could not open the presence bucket', error);
      }
    }
    void consumeTasks();
    while (!closed) {
      try {
        await link.consume(receive);
      } catch (error) {
        if (closed) return;
        failed('could not read the federation stream', error);
      }
      await pause(RETRY_MS);
    }
  };

  // Only this hub's own messages are for the outbox; those from other hubs are theirs to publish.
  const tasks = createTaskBridge({
    hubId,
    relay: deps.relay,
    remoteAgents: () => board?.remote() ?? [],
    publish: (taskSubject, data) => link.publish(taskSubject, data),
    failed,
  });
  const consumeTasks = async (): Promise<void> => {
    while (!closed) {
      try {
        await link.consumeTasks((message) => tasks.receive(message));
      } catch (error) {
        if (closed) return;
        failed('could not read the federation task stream', error);
      }
      await pause(RETRY_MS);
    }
  };

  const stopListening = deps.messaging.onMessage((message) => {
    if (message.origin_hub === undefined) kick();
  });
  void run();

  return {
    async status() {
      // Asking NATS while the link is down would wait for the request to time out.
      const pending = state.connected ? await link.consumerPending() : undefined;
      return {
        enabled: true,
        hub_id: hubId,
        servers: typeof settings.url === 'string' ? [settings.url] : settings.url,
        conversations: settings.conversations,
        connected: state.connected,
        server: state.server,
        outbox: { published_seq: outbox.publishedSeq(), pending: outbox.pending() },
        inbound: { pending: pending ?? null },
        published: state.published,
        received: state.received,
        refused: state.refused,
        last_error: state.lastError,
      };
    },
    remoteAgents: () => board?.remote() ?? [],
    remoteProfiles: () => tasks.remoteProfiles(),
    ownsAgent: (name) => tasks.ownsAgent(name),
    sendToAgent: (name, frame) => tasks.sendToAgent(name, frame),
    async close() {
      closed = true;
      stopListening();
      tasks.close();
      await board?.close();
      for (const wait of waits) {
        clearTimeout(wait.timer);
        wait.done();
      }
      waits.clear();
      await link.close();
    },
  };
}
