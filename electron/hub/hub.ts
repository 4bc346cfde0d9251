/**
 * The hub as a library: createHub(settings) → start(), stop(). The headless CLI and the Electron main
 * process are two thin hosts of it. Owns, and closes in reverse order: HTTP server, sockets, timers,
 * pending commits, the database.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createAuthenticator } from './auth/auth.js';
import { createAuthFailures } from './auth/auth-failures.js';
import { openCallbackSecret } from './relay/callback-secret.js';
import { createCommitQueue } from './store/commit-queue.js';
import { resolveConfig, type HubConfig, type HubSettings } from './config.js';
import { connectionInfo, readConnectionFile, writeConnectionFile, type ConnectionInfo } from '../common/connection-file.js';
import { createConnectionRegistry } from './ws/connection-registry.js';
import { createConnectionLifecycle } from './ws/connection-lifecycle.js';
import { databaseFile } from '../common/data-dir.js';
import { claimDataDir, type DataDirClaim } from './startup/data-dir-claim.js';
import { registerHandlers } from './handlers/index.js';
import { sendWelcome } from './handlers/hello.js';
import { createGuard } from './http/guard.js';
import { createHttpRouter, type Route } from './http/http-router.js';
import { messageRoutes } from './http/message-routes.js';
import { systemRoutes } from './http/system-routes.js';
import { tokenRoutes } from './http/token-routes.js';
import { upgradeRequiredRoutes } from './http/upgrade-required-routes.js';
import { createLogger, type Logger } from '../common/logger.js';
import { createLoopBreaker } from './messaging/loop-breaker.js';
import { createMessaging } from './messaging/messaging.js';
import { createOfflineQueue } from './messaging/offline-queue.js';
import { authMiddleware, countingMiddleware, validationMiddleware } from './ws/middleware.js';
import { createPresence } from './messaging/presence.js';
import { createPeerProcesses, processLookupFor } from './peer-process/index.js';
import { createRouter } from './ws/router.js';
import type { HubServices } from './services.js';
import type { Clock } from '../common/clock.js';
import { createCheckpointer, type Checkpointer } from './store/checkpointer.js';
import { closeDatabase, closeUntouched, type Db } from './store/database.js';
import { keptAdminToken, openCheckedDatabase, refusal } from './store/start-check.js';
import { createDatabaseHealth, type DatabaseHealth } from './health/database-health.js';
import { respondToDamage } from './health/damage-response.js';
import { restoreAdvice } from './backup/restore-advice.js';
import { createAgentStore } from './store/agent-store.js';
import { createApprovalStore } from './store/approval-store.js';
import { createAgentApprovals } from './approval/agent-approvals.js';
import { approvalRoutes } from './http/approval-routes.js';
import { createConversationStore } from './store/conversation-store.js';
import { createEventStore } from './store/event-store.js';
import { createInboxStore } from './store/inbox-store.js';
import { createMessageStore } from './store/message-store.js';
import { createTokenStore, type TokenStore } from './store/token-store.js';
import { createStreams } from './messaging/streams.js';
import { createTextAnswers } from './messaging/text-answers.js';
import { createSubscriptionIndex } from './messaging/subscriptions.js';
import { createWsEndpoint, WS_PATHS } from './ws/ws-server.js';
import { createRelay, type Relay } from './relay/relay.js';
import type { CallbackPolicy } from './relay/ssrf-guard.js';
import { createAudit } from './read-models/audit.js';
import { createMessageEffects } from './read-models/message-effects.js';
import { messageReadable } from './read-models/message-visibility.js';
import { createTaskLineage } from './read-models/task-lineage.js';
import { createIngest } from './metrics/ingest.js';
import { createPrometheus, type Prometheus } from './metrics/prometheus.js';
import { createRollups } from './metrics/rollups.js';
import { createRetention } from './store/retention.js';
import { createRollupStore } from './store/rollup-store.js';
import { prometheusRoutes } from './http/prometheus-routes.js';
import { rollupRoutes } from './http/rollup-routes.js';
import { createAlertEngine } from './alerts/alert-engine.js';
import { alertRoutes } from './http/alert-routes.js';
import { createInteractionStore } from './store/interaction-store.js';
import { metricsRoutes } from './http/metrics-routes.js';
import { auditRoutes } from './http/audit-routes.js';
import { relayRoutes } from './http/relay-routes.js';
import { taskRoutes } from './http/task-routes.js';
import { lineageRoutes } from './http/lineage-routes.js';
import { sessionRoutes } from './http/session-routes.js';
import { searchRoutes } from './http/search-routes.js';
import { settingsRoutes } from './http/settings-routes.js';
import { callbackSecretRoutes } from './http/callback-secret-routes.js';
import { statsRoutes } from './http/stats-routes.js';
import { createStaticSite, DEFAULT_RENDERER_DIR } from './http/static-site.js';
import { createLoginPages } from './auth/login-pages.js';
import { createSessions } from './auth/sessions.js';
import { createSearchStore } from './store/search-store.js';
import { createSearchIndex } from './store/search-index.js';
import { createRateStore } from './store/rate-store.js';
import { createHubBackups, type BackupResult } from './backup/backup-export.js';
import { backupRoutes } from './http/backup-routes.js';
import { backupsFolder } from './backup/backup-file.js';
import { createBackupScheduler, type BackupScheduler, type SchedulerClock } from './backup/backup-scheduler.js';
import { createMcpEndpoint, type McpEndpoint } from './http/mcp-route.js';
import { SwitchboardError, TEXT_MESSAGE_CAPABILITY } from '../../shared/index.js';
import { HubStartError } from '../common/start-error.js';
import type { Federation } from './federation/index.js';
import type { RemoteAgents } from './relay/task-notifier.js';
import { federationRoutes } from './http/federation-routes.js';
import { selftestRoutes } from './http/selftest-routes.js';
import { createSelftestRunner } from './selftest/selftest-runner.js';
import { defaultSwitchboardCommand, type SwitchboardCommand } from './selftest/durability-run.js';
import { createSettingsStore } from './store/settings-store.js';

/** How many ports after a taken default port are tried. */
const PORT_FALLBACK_TRIES = 20;

export interface HubOptions {
  logger?: Logger;
  clock?: Clock;
  /** Numbers in [0, 1) for retry jitter (default Math.random). */
  random?: () => number;
  /** The dashboard's built files, served at `/` (default: dist/renderer beside the compiled hub). */
  rendererDir?: string;
  /** Time and timers for scheduled backups (default the system's). */
  backupClock?: SchedulerClock;
  /** A scheduled backup failed (it is logged too; the next slot tries again): the desktop app notifies the person. */
  onBackupError?: (error: unknown, file: string) => void;
  /** How the self-test runs its scratch hubs (default: `switchboard` as installed beside this hub), and how long a run may take. */
  selftest?: { command?: SwitchboardCommand; timeoutMs?: (messages: number) => number };
}

export interface StartedHub {
  port: number;
  /** The port asked for, when it was taken and another one was used. */
  portTaken?: number;
  connection: ConnectionInfo;
}

export interface Hub {
  readonly config: HubConfig;
  start(): Promise<StartedHub>;
  stop(): Promise<void>;
  /**
   * Writes a consistent copy of the database to `destination` (an absolute file path) while the hub runs:
   * it holds everything committed, so everything acknowledged, before the copy finished.
   */
  backup(destination: string): Promise<BackupResult>;
  /** The wiring, for hosts and tests that need to look inside. */
  readonly services: HubServices;
  /** The HTTP routes the hub answers once started: method, path and who may call each (read by the API contract's test). */
  readonly httpRoutes: readonly Pick<Route, 'method' | 'path' | 'access'>[];
}

/** Builds a hub; throws ConfigError listing every invalid setting. Nothing is opened until start(). */
export function createHub(settings: HubSettings, options: HubOptions = {}): Hub {
  const config = resolveConfig(settings);
  const clock = options.clock ?? { now: () => Date.now() };
  let services: HubServices | undefined;
  let server: Server | undefined;
  let closeWs: (() => Promise<void>) | undefined;
  let lifetime: AbortController | undefined;
  let database: Db | undefined;
  let checkpointer: Checkpointer | undefined;
  let relay: Relay | undefined;
  let prometheus: Prometheus | undefined;
  let backupSchedule: BackupScheduler | undefined;
  let mcp: McpEndpoint | undefined;
  let federation: Federation | undefined;
  let routes: Route[] = [];
  let claim: DataDirClaim | undefined;
  /** The port the hub listens on, once it does (until then the configured one): callbacks never go there. */
  let boundPort: number | undefined;
  let stopDamageResponse: (() => void) | undefined;

  const backupFolder = config.backupFolder ?? backupsFolder(config.dataDir);
  const advice = (): string => restoreAdvice(backupFolder);

  const wire = (db: Db, logger: Logger, databaseHealth: DatabaseHealth): HubServices => {
    const now = (): number => clock.now();
    const file = databaseFile(config.dataDir);
    checkpointer = createCheckpointer(db, file, logger);
    // Stored messages tell the search index, which is built after the commit queue it writes through.
    const messages = createMessageStore(db, () => searchIndex.stored());
    const conversations = createConversationStore(db);
    const agents = createAgentStore(db);
    const tokens = createTokenStore(db);
    const events = createEventStore(db);
    const inbox = createInboxStore(db);
    const onRollback = (): void => {
      conversations.reload();
      inbox.reload();
    };
    const commits = createCommitQueue(db, logger, onRollback, checkpointer.written, databaseHealth);
    const searchIndex = createSearchIndex({ db, commits, logger, writable: () => !databaseHealth.readOnly });
    const connections = createConnectionRegistry(config, now);
    const connectionLifecycle = createConnectionLifecycle({ connections, config, logger });
    const peerProcesses = createPeerProcesses({ lookup: processLookupFor(process.platform), logger });
    const subscriptions = createSubscriptionIndex();
    const presence = createPresence({ agents, now });
    const offlineQueue = createOfflineQueue({ inbox, events, presence, logger, config, now });
    const loopBreaker = createLoopBreaker({ config, messages, conversations, commits, events, subscriptions, presence, logger });
    const messaging = createMessaging({ messages, conversations, commits, subscriptions, presence, offlineQueue, loopBreaker, now });
    const callbackSecret = openCallbackSecret(config.dataDir, clock);
    const callbackPolicy: CallbackPolicy = { allowedHosts: config.allowedCallbackHosts, hubHost: config.host, hubPort: () => boundPort ?? config.port };
    const outbound = { policy: callbackPolicy, sign: callbackSecret.sign };
    // Agents of other federated hubs, reached through the federation once it runs.
    const remote: RemoteAgents = {
      online: () => federation?.remoteProfiles() ?? new Map(),
      owns: (agent) => federation?.ownsAgent(agent) ?? false,
      send: (agent, frame) => federation?.sendToAgent(agent, frame) ?? false,
    };
    const mayRead = messageReadable(conversations);
    const mayReadMessage = (reader: { agent: string; admin: boolean }, seq: number): boolean => {
      const message = messages.parent(seq);
      return message !== undefined && mayRead(reader, message.conversation_id);
    };
    relay = createRelay({
      db,
      events,
      commits,
      presence,
      agents,
      config,
      logger,
      clock,
      random: options.random ?? Math.random,
      remote,
      mayReadMessage,
      ...outbound,
    });
    const ingest = createIngest({ interactions: createInteractionStore(db), commits, logger, now });
    lifetime = new AbortController();
    // Federation starts once the hub listens; until then, and without a federation section, it is off.
    const federationLink: HubServices['federation'] = {
      status: async () => (federation === undefined ? { enabled: false } : federation.status()),
      remoteAgents: () => federation?.remoteAgents() ?? [],
    };
    const s: HubServices = {
      config,
      clock,
      logger,
      startedAt: now(),
      messages,
      conversations,
      agents,
      tokens,
      events,
      commits,
      connections,
      connectionLifecycle,
      approvals: createAgentApprovals({
        store: createApprovalStore(db),
        events,
        connections,
        lifecycle: connectionLifecycle,
        peerProcesses,
        config,
        clock,
        logger,
      }),
      subscriptions,
      presence,
      peerProcesses,
      messaging,
      offlineQueue,
      loopBreaker,
      textAnswers: createTextAnswers({ logger, maxStreamBytes: config.maxStreamBytes, now }),
      streams: createStreams({ messaging, conversations, loopBreaker, logger, maxStreamBytes: config.maxStreamBytes, now }),
      auth: createAuthenticator({ tokens, failures: createAuthFailures({ events, logger, now }), now }),
      router: createRouter(logger, databaseHealth.failed),
      frameCounts: new Map(),
      lifetime: lifetime.signal,
      federation: federationLink,
      relay,
      audit: createAudit(db),
      lineage: {
        tasks: createTaskLineage({ db, tasks: relay.tasks, reader: relay.reader, messages, mayRead }),
        messages: createMessageEffects({ db, tasks: relay.tasks, reader: relay.reader, messages, mayRead }),
      },
      ingest,
      rollups: createRollups({ store: createRollupStore(db), commits, ingest, config, clock, logger }),
      retention: createRetention({ db, commits, events, config, clock, logger }),
      alerts: createAlertEngine({ db, ingest, events, config, clock, logger, ...outbound, federation: federationLink }),
      sessions: createSessions({ tokens, events, pages: createLoginPages(config.dataDir), writeFailed: databaseHealth.failed, now }),
      search: createSearchStore(db),
      searchIndex,
      rates: createRateStore(db),
      backups: createHubBackups({ db, file, clock, events, refusal: databaseHealth.backupRefusal }),
      selftest: createSelftestRunner({
        settings: createSettingsStore(db),
        events,
        clock,
        logger,
        command: options.selftest?.command ?? defaultSwitchboardCommand(),
        ...(options.selftest?.timeoutMs === undefined ? {} : { timeoutMs: options.selftest.timeoutMs }),
      }),
      callbackSecret,
      callbackPolicy,
      databaseHealth,
    };
    stopDamageResponse = respondToDamage({ health: databaseHealth, db, checkpointer, alerts: s.alerts });
    return s;
  };

  /** What frames and connections go through; throws on a frame type without a handler. */
  const route = (s: HubServices): void => {
    s.router.use(countingMiddleware(s.frameCounts));
    s.router.use(authMiddleware);
    s.router.use(validationMiddleware);
    registerHandlers(s.router, s);
    registerConnectionHooks(s);
  };

  const hub: Hub = {
    config,
    get services(): HubServices {
      if (services === undefined) throw new Error('the hub has not been started');
      return services;
    },
    get httpRoutes() {
      return routes.map(({ method, path, access }) => ({ method, path, access }));
    },
    async start() {
      if (services !== undefined) throw new Error('the hub is already running');
      // First of all: a hub refused here has touched nothing, connection.json included.
      claim = claimDataDir(config);
      const logger = options.logger ?? createLogger({ file: join(config.dataDir, 'logs', 'hub.log') });
      const file = databaseFile(config.dataDir);
      const health = createDatabaseHealth({ advice, logger });
      let keptToken: string | undefined;
      let s: HubServices;
      try {
        // Before anything is written: a damaged file opens read-only and is left exactly as it is.
        const checked = await openCheckedDatabase(file, advice);
        database = checked.db;
        if (checked.damage !== undefined) {
          health.damaged(checked.damage);
          keptToken = keptAdminToken(checked.db, config.dataDir, clock.now(), () => refusal(file, checked.damage ?? '', advice(), 'token'));
        }
        try {
          s = wire(checked.db, logger, health);
        } catch (error) {
          if (!health.readOnly) throw error;
          throw error instanceof HubStartError ? error : refusal(file, `${checked.damage ?? ''}; ${String(error)}`, advice());
        }
      } catch (error) {
        if (database?.open === true) (health.readOnly ? closeUntouched : closeDatabase)(database);
        database = undefined;
        claim.release();
        claim = undefined;
        throw error;
      }
      services = s;
      try {
        route(s);
        if (claim.removed.length > 0) s.logger.info('removed temporary files left by a killed process', { files: claim.removed });
        const readOnly = health.readOnly;
        let port = config.port;
        let wsUrl = '';
        const guard = createGuard(config, () => port);
        // Before anything is taken in: minutes a crash left unwritten are rebuilt first.
        if (!readOnly) s.rollups.start().catch((error: unknown) => s.logger.error('could not rebuild interaction rollups', { error: String(error) }));
        prometheus = createPrometheus(s);
        // MCP sessions are clients of the hub's own WebSocket, at the address connection.json gives.
        mcp = createMcpEndpoint(s, () => wsUrl);
        routes = [
          ...systemRoutes(s),
          ...messageRoutes(s),
          ...tokenRoutes(s),
          ...relayRoutes(s),
          ...taskRoutes(s),
          ...lineageRoutes(s),
          ...auditRoutes(s),
          ...metricsRoutes(s),
          ...rollupRoutes(s),
          ...prometheusRoutes(prometheus),
          ...alertRoutes(s),
          ...sessionRoutes(s),
          ...searchRoutes(s),
          ...settingsRoutes(s),
          ...callbackSecretRoutes(s),
          ...statsRoutes(s),
          ...backupRoutes(s),
          ...federationRoutes(s),
          ...selftestRoutes(s),
          ...approvalRoutes(s),
          ...mcp.routes,
          ...upgradeRequiredRoutes(WS_PATHS.filter((path) => path !== '/')),
        ];
        const site = createStaticSite(options.rendererDir ?? DEFAULT_RENDERER_DIR);
        const http = createHttpRouter(s, guard, routes, site.serve);
        const ws = createWsEndpoint(s, guard);
        closeWs = ws.closeAll;
        // A request (headers and body) must arrive whole within requestTimeoutMs, checked every second.
        server = createServer(
          { maxHeaderSize: 16 * 1024, requestTimeout: config.requestTimeoutMs, connectionsCheckingInterval: 1000 },
          // Not awaited: handle() answers every failure itself, with an error response.
          (req, res) => void http.handle(req, res),
        );
        server.on('upgrade', ws.upgrade);
        server.on('clientError', (_error, socket) => socket.destroy());
        const taken = await listen(server, config, (p) => (port = boundPort = p));
        const token = keptToken ?? adminToken(s.tokens, config.dataDir, clock.now());
        const connection = { ...connectionInfo(config.host, port, token), callback_secret: s.callbackSecret.info().secret };
        wsUrl = connection.url;
        writeConnectionFile(config.dataDir, connection);
        if (readOnly) {
          s.logger.warn('hub started read-only: its database is damaged', { port, host: config.host, reason: health.status().reason });
          return taken === undefined ? { port, connection } : { port, portTaken: taken, connection };
        }
        s.events.record('hub_started', clock.now(), { detail: { port, host: config.host, pid: process.pid } });
        s.logger.info('hub started', { port, host: config.host });
        // Leases left by a crash run out and are re-offered; queued tasks go to agents as they connect.
        s.relay.dispatcher.kick();
        s.relay.callbacks.wake();
        s.retention.start();
        backupSchedule = createBackupScheduler({
          folder: backupFolder,
          every: config.backupEvery,
          keepDays: config.backupKeepDays,
          backup: (file) => s.backups.backup(file),
          ...(options.backupClock === undefined ? {} : { clock: options.backupClock }),
          onBackup: (file) => s.logger.info('scheduled backup written', { file }),
          onError: (error, file) => {
            s.logger.warn('scheduled backup failed', { file, error: String(error) });
            options.onBackupError?.(error, file);
          },
        });
        backupSchedule.start();
        if (config.federation !== undefined && database !== undefined) {
          // Loaded only here, so a hub without federation never loads the NATS client.
          const { startFederation } = await import('./federation/index.js');
          federation = startFederation({
            settings: config.federation,
            db: database,
            commits: s.commits,
            messaging: s.messaging,
            presence: s.presence,
            relay: s.relay,
            logger: s.logger,
            now: clock.now,
          });
        }
        return taken === undefined ? { port, connection } : { port, portTaken: taken, connection };
      } catch (error) {
        // A hub that could not open (its port taken, say) closes what it had started, so nothing runs on.
        await hub.stop();
        throw error;
      }
    },
    backup(destination) {
      if (services === undefined) return Promise.reject(new SwitchboardError('SB_ERR_CONFLICT', 'the hub is not running: back up the database file instead'));
      return services.backups.backup(destination);
    },
    async stop() {
      const s = services;
      if (s === undefined) return;
      services = undefined;
      lifetime?.abort();
      const closed = server === undefined ? Promise.resolve() : new Promise<void>((resolve) => server?.close(() => resolve()));
      // Before the WebSockets close, so the sessions' own connections end cleanly instead of reconnecting.
      await mcp?.close();
      mcp = undefined;
      await federation?.close();
      federation = undefined;
      await closeWs?.();
      server?.closeAllConnections();
      await closed;
      await s.peerProcesses.settled();
      s.approvals.close();
      await backupSchedule?.stop();
      backupSchedule = undefined;
      await s.backups.close();
      await s.selftest.close();
      s.connections.close();
      await relay?.close();
      await s.alerts.close();
      relay = undefined;
      await s.retention.close();
      s.searchIndex.close();
      s.auth.failures.close();
      s.commits.flush();
      prometheus?.close();
      prometheus = undefined;
      const rolled = s.rollups.close();
      s.commits.flush();
      await rolled;
      stopDamageResponse?.();
      stopDamageResponse = undefined;
      s.sessions.close();
      const untouched = s.databaseHealth.readOnly;
      if (!untouched) recordStop(s);
      s.logger.info('hub stopped');
      await s.logger.flush?.();
      await checkpointer?.close();
      checkpointer = undefined;
      try {
        // A damaged file is left as it is: not even the checkpoint a normal close makes.
        if (database !== undefined) (untouched ? closeUntouched : closeDatabase)(database);
      } finally {
        database = undefined;
        claim?.release();
        claim = undefined;
      }
    },
  };
  return hub;
}

/** Listens on the configured port; when the default port is taken, moves to the next free one. */
async function listen(server: Server, config: HubConfig, onPort: (port: number) => void): Promise<number | undefined> {
  const tries = config.portFallback && config.port !== 0 ? PORT_FALLBACK_TRIES : 1;
  for (let i = 0; i < tries; i++) {
    const port = config.port === 0 ? 0 : config.port + i;
    try {
      server.listen(port, config.host);
      await once(server, 'listening');
      onPort((server.address() as AddressInfo).port);
      return i === 0 ? undefined : config.port;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || i === tries - 1) throw error;
    }
  }
  throw new Error('unreachable');
}

/** Reuses the admin token in connection.json while it is valid; otherwise mints one and revokes older local ones. */
function adminToken(tokens: TokenStore, dataDir: string, now: number): string {
  const existing = readConnectionFile(dataDir);
  if (existing !== undefined && tokens.verify(existing.token, now)?.admin === true) return existing.token;
  for (const record of tokens.list()) {
    if (record.label === LOCAL_ADMIN_LABEL && record.revoked_at === null) tokens.revoke(record.id, now);
  }
  return tokens.create({ agent: null, admin: true, label: LOCAL_ADMIN_LABEL }, now).token;
}

const LOCAL_ADMIN_LABEL = 'local admin (connection.json)';

/**
 * What each feature does when a connection is admitted and when it closes, each list in the order it
 * runs; ws/connection-lifecycle.ts says why the order is what it is.
 */
function registerConnectionHooks(s: HubServices): void {
  const lifecycle = s.connectionLifecycle;
  lifecycle.onAdmit((conn, { identity, profile, observer }) => {
    if (!observer) s.presence.join(conn, identity.agent, profile);
  });
  lifecycle.onAdmit((conn, { observer }) => {
    if (!observer) s.peerProcesses.track(conn);
  });
  lifecycle.onAdmit((conn, { profile, observer }) => {
    // An observer answers nothing: only an agent's own connection is offered questions.
    if (!observer && profile.capabilities?.includes(TEXT_MESSAGE_CAPABILITY) === true) s.textAnswers.offer(conn);
  });
  lifecycle.onAdmit((conn, admission) => sendWelcome(s, conn, admission));
  lifecycle.onAdmit((conn, { identity, observer }) => {
    if (!observer) s.offlineQueue.drain(conn, identity.agent);
  });
  // Both sides of a direct conversation see its streams without subscribing: one that connects mid-stream picks it up.
  lifecycle.onAdmit((conn, { identity, observer }) => {
    if (!observer) s.streams.pickUpDirect(conn, identity.agent);
  });
  lifecycle.onClose((conn) => s.subscriptions.removeAll(conn));
  lifecycle.onClose((conn) => s.streams.abandon(conn));
  lifecycle.onClose((conn) => s.textAnswers.forget(conn));
  lifecycle.onClose((conn) => s.presence.leave(conn));
  lifecycle.onClose((conn) => s.peerProcesses.forget(conn));
  lifecycle.onClose((conn) => s.relay.notifier.forget(conn));
  lifecycle.onClose((conn) => s.alerts.forget(conn));
  lifecycle.onClose((conn) => s.approvals.closed(conn));
}

/** The stop goes in the audit trail when the database takes it; a disk that is full does not keep the hub from stopping. */
function recordStop(s: Pick<HubServices, 'events' | 'clock' | 'logger'>): void {
  try {
    s.events.record('hub_stopped', s.clock.now());
  } catch (error) {
    s.logger.warn('the hub stop was not recorded', { error: String(error) });
  }
}
