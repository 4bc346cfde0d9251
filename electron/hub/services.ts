/** Everything a frame handler or HTTP route may use, built once by createHub and passed in. */
import type { HubConfig } from './config.js';
import type { CommitQueue } from './commit-queue.js';
import type { ConnectionRegistry } from './connection-registry.js';
import type { Logger } from './logger.js';
import type { Messaging } from './messaging.js';
import type { OfflineQueue } from './offline-queue.js';
import type { Presence } from './presence.js';
import type { Router } from './router.js';
import type { Streams } from './streams.js';
import type { AgentStore } from './store/agent-store.js';
import type { ConversationStore } from './store/conversation-store.js';
import type { EventStore } from './store/event-store.js';
import type { MessageStore } from './store/message-store.js';
import type { TokenStore } from './store/token-store.js';
import type { SubscriptionIndex } from './subscriptions.js';
import type { Authenticator } from './auth.js';
import type { Relay } from './relay/relay.js';
import type { Audit } from './audit.js';
import type { Ingest } from './metrics/ingest.js';

export interface Clock {
  now(): number;
}

export interface HubServices {
  config: HubConfig;
  clock: Clock;
  logger: Logger;
  startedAt: number;
  messages: MessageStore;
  conversations: ConversationStore;
  agents: AgentStore;
  tokens: TokenStore;
  events: EventStore;
  commits: CommitQueue;
  connections: ConnectionRegistry;
  subscriptions: SubscriptionIndex;
  presence: Presence;
  messaging: Messaging;
  /** Direct messages waiting for offline agents until they acknowledge them. */
  offlineQueue: OfflineQueue;
  streams: Streams;
  auth: Authenticator;
  router: Router;
  frameCounts: Map<string, number>;
  relay: Relay;
  audit: Audit;
  ingest: Ingest;
  /** Aborted when the hub stops, so long waits (long-polls) end at once. */
  lifetime: AbortSignal;
}
