/** Everything a frame handler or HTTP route may use, built once by createHub and passed in. */
import type { HubConfig } from './config.js';
import type { CommitQueue } from './store/commit-queue.js';
import type { ConnectionRegistry } from './ws/connection-registry.js';
import type { ConnectionLifecycle } from './ws/connection-lifecycle.js';
import type { Logger } from '../common/logger.js';
import type { LoopBreaker } from './messaging/loop-breaker.js';
import type { Messaging } from './messaging/messaging.js';
import type { OfflineQueue } from './messaging/offline-queue.js';
import type { Presence } from './messaging/presence.js';
import type { PeerProcesses } from './peer-process/index.js';
import type { Router } from './ws/router.js';
import type { Streams } from './messaging/streams.js';
import type { TextAnswers } from './messaging/text-answers.js';
import type { AgentStore } from './store/agent-store.js';
import type { ConversationStore } from './store/conversation-store.js';
import type { EventStore } from './store/event-store.js';
import type { MessageStore } from './store/message-store.js';
import type { TokenStore } from './store/token-store.js';
import type { SubscriptionIndex } from './messaging/subscriptions.js';
import type { Authenticator } from './auth/auth.js';
import type { Relay } from './relay/relay.js';
import type { Audit } from './read-models/audit.js';
import type { MessageEffects } from './read-models/message-effects.js';
import type { TaskLineage } from './read-models/task-lineage.js';
import type { Ingest } from './metrics/ingest.js';
import type { Rollups } from './metrics/rollups.js';
import type { Retention } from './store/retention.js';
import type { AlertEngine } from './alerts/alert-engine.js';
import type { Sessions } from './auth/sessions.js';
import type { SearchStore } from './store/search-store.js';
import type { SearchIndex } from './store/search-index.js';
import type { RateStore } from './store/rate-store.js';
import type { HubBackups } from './backup/backup-export.js';
import type { SelftestRunner } from './selftest/selftest-runner.js';
import type { CallbackSecret } from './relay/callback-secret.js';
import type { CallbackPolicy } from './relay/ssrf-guard.js';
import type { DatabaseHealth } from './health/database-health.js';
import type { Clock } from '../common/clock.js';
import type { AgentApprovals } from './approval/agent-approvals.js';
import type { AgentInfo, FederationStatus } from '../../shared/protocol/index.js';

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
  /** Admits connections and lets them go; features register what they do at each (see registerConnectionHooks in hub.ts). */
  connectionLifecycle: ConnectionLifecycle;
  /** Approval of new agents: names waiting for the person, and the decisions remembered. */
  approvals: AgentApprovals;
  subscriptions: SubscriptionIndex;
  presence: Presence;
  /** The local process behind each agent connection, looked up in the background when it is admitted. */
  peerProcesses: PeerProcesses;
  messaging: Messaging;
  /** Direct messages waiting for offline agents until they acknowledge them. */
  offlineQueue: OfflineQueue;
  /** Pauses runaway conversations (reply chains, two agents answering each other) until a person resumes them. */
  loopBreaker: LoopBreaker;
  streams: Streams;
  /** `text_message` questions on their way to an answering agent, and its answers on their way back. */
  textAnswers: TextAnswers;
  auth: Authenticator;
  router: Router;
  frameCounts: Map<string, number>;
  relay: Relay;
  audit: Audit;
  /** A task's whole story, and what a message caused. */
  lineage: { tasks: TaskLineage; messages: MessageEffects };
  ingest: Ingest;
  /** Interactions per agent and minute, for charts and totals. */
  rollups: Rollups;
  /** Deletes raw interactions and events past retention, and old rollups. */
  retention: Retention;
  /** Alert rules, alerts and their delivery (GUI push, webhook, `onAlert` for the desktop shell). */
  alerts: AlertEngine;
  /** The link to hubs on other machines: `enabled: false` without a `federation` section in the settings. */
  federation: {
    status(): Promise<FederationStatus>;
    /** Agents online on the other hubs, each with its `hub`; none without federation. */
    remoteAgents(): AgentInfo[];
  };
  /** Aborted when the hub stops, so long waits (long-polls) end at once. */
  lifetime: AbortSignal;
  /** Login links and the browser sessions they open. */
  sessions: Sessions;
  /** Full-text search over messages. */
  search: SearchStore;
  /** Indexes messages for search after their commit; a search catches it up first. */
  searchIndex: SearchIndex;
  /** Messages and tasks per minute. */
  rates: RateStore;
  /** Consistent copies of the database while the hub runs. */
  backups: HubBackups;
  /** The durability self-test in the background: one run at a time, the last result kept. */
  selftest: SelftestRunner;
  /** The secret that signs callbacks and webhooks. */
  callbackSecret: CallbackSecret;
  /** Where callbacks and webhooks may go (the SSRF guard's view of the hub). */
  callbackPolicy: CallbackPolicy;
  /** Whether writes work: healthy, failing (disk full, read-only folder) or damaged (the hub is read-only). */
  databaseHealth: DatabaseHealth;
}
