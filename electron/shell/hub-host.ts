/**
 * The desktop app's embedded hub: starts, stops and restarts it in-process, re-reads settings.json when
 * it changes (an invalid file keeps the last good settings and says why; a new port or address restarts
 * the hub), and tells the tray what state it is in. Plain Node, so tests drive it with a real hub.
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import {
  createHub,
  exposureWarning,
  resolveConfig,
  startFailureMessage,
  type DatabaseStatus,
  type Hub,
  type HubConfig,
  type HubOptions,
  type HubSettings,
} from '../hub/index.js';
import { ConfigError } from '../common/config-error.js';
import { createLogger, silentLogger } from '../common/logger.js';
import { readSettingsFile, settingsFilePath } from '../common/settings-file.js';

export type HubState = 'starting' | 'running' | 'stopping' | 'stopped' | 'error';

export interface HostStatus {
  state: HubState;
  /** `http://127.0.0.1:8765` while running. */
  address: string | undefined;
  agentsOnline: number;
  /** Why the hub is not running (state `error`). */
  error: string | undefined;
  /** Why settings.json was not applied; the hub runs on the last good settings meanwhile. */
  settingsProblem: string | undefined;
  /** The running hub's database is damaged (the hub is read-only) or its writes fail; undefined while healthy. */
  database?: DatabaseProblem | undefined;
  /** A self-test is running in the hub (started from the tray, the dashboard or the API). */
  selftestRunning?: boolean;
}

export interface DatabaseProblem {
  state: 'write-failing' | 'damaged';
  reason: string;
}

export interface HubHostOptions {
  dataDir: string;
  /** Passed to every hub the host creates (tests give a silent logger or a fixed renderer folder). */
  hubOptions?: HubOptions;
}

export type HubHost = ReturnType<typeof createHubHost>;

export function createHubHost(options: HubHostOptions) {
  const { dataDir } = options;
  const events = new EventEmitter<{ change: [HostStatus] }>();
  let hub: Hub | undefined;
  let settings: HubSettings | undefined;
  let status: HostStatus = { state: 'stopped', address: undefined, agentsOnline: 0, error: undefined, settingsProblem: undefined };
  /** Start and stop run one at a time, in the order asked. */
  let queue: Promise<unknown> = Promise.resolve();

  const update = (patch: Partial<HostStatus>): void => {
    status = { ...status, ...patch };
    events.emit('change', status);
  };

  /** settings.json and the configuration the hub would make of it, or why it would refuse it. */
  const readSettings = (): { settings: HubSettings; config: HubConfig } | { problem: string } => {
    try {
      const next = { ...readSettingsFile(dataDir), dataDir } as HubSettings;
      return { settings: next, config: resolveConfig(next) };
    } catch (error) {
      if (error instanceof ConfigError) return { problem: `${settingsFilePath(dataDir)}: ${error.problems.join('; ')}` };
      throw error;
    }
  };

  const startNow = async (): Promise<void> => {
    if (hub !== undefined) return;
    const read = readSettings();
    const problem = 'problem' in read ? read.problem : undefined;
    if ('settings' in read) settings = read.settings;
    if (settings === undefined) {
      update({ state: 'error', error: problem, settingsProblem: problem });
      return;
    }
    update({ state: 'starting', error: undefined, settingsProblem: problem });
    const hubOptions: HubOptions = { logger: createLogger({ file: join(dataDir, 'logs', 'hub.log'), stderrLevel: 'warn' }), ...options.hubOptions };
    const logger = hubOptions.logger ?? silentLogger;
    const next = createHub(settings, hubOptions);
    try {
      const started = await next.start();
      hub = next;
      const warning = exposureWarning(next.config.host, started.port);
      if (warning !== undefined) logger.warn(warning);
      const { presence } = next.services;
      // Agents leave while the hub stops too; by then the tray already says stopping.
      const count = (): void => {
        if (hub === next) update({ agentsOnline: presence.onlineCount() });
      };
      presence.on('online', count);
      presence.on('offline', count);
      const health = next.services.databaseHealth;
      health.onChange((database) => {
        if (hub === next) update({ database: databaseProblem(database) });
      });
      const { selftest } = next.services;
      const selftestRunning = (running: boolean) => (): void => {
        if (hub === next) update({ selftestRunning: running });
      };
      selftest.onStarted(selftestRunning(true));
      selftest.onFinished(selftestRunning(false));
      update({
        state: 'running',
        address: started.connection.http,
        agentsOnline: presence.onlineCount(),
        database: databaseProblem(health.status()),
        selftestRunning: selftest.state().running,
      });
    } catch (error) {
      await next.stop().catch((stopError: unknown) => logger.error('could not stop after a failed start', { error: String(stopError) }));
      const message =
        (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
          ? `Port ${next.config.port} on ${next.config.host} is already in use.`
          : startFailureMessage(error, next.config);
      logger.error('hub could not start', { reason: message, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      update({ state: 'error', address: undefined, error: message });
    }
  };

  const stopNow = async (): Promise<void> => {
    const running = hub;
    if (running === undefined) return;
    update({ state: 'stopping' });
    hub = undefined;
    await running.stop();
    update({ state: 'stopped', address: undefined, agentsOnline: 0, database: undefined, selftestRunning: false });
  };

  const serially = (work: () => Promise<void>): Promise<void> => {
    const next = queue.then(work);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    status: (): HostStatus => status,
    /** The running hub, for backups and alert notifications. */
    hub: (): Hub | undefined => hub,
    dataDir,
    onChange(listener: (status: HostStatus) => void): () => void {
      events.on('change', listener);
      return () => events.off('change', listener);
    },
    start: (): Promise<void> => serially(startNow),
    stop: (): Promise<void> => serially(stopNow),
    /**
     * settings.json changed: an invalid file is reported and ignored; a new port or address restarts the
     * hub (other values are read at the next start, as the settings page says).
     */
    reloadSettings: (): Promise<void> =>
      serially(async () => {
        const read = readSettings();
        if ('problem' in read) {
          update({ settingsProblem: `${read.problem} — kept the last good settings.` });
          return;
        }
        settings = read.settings;
        update({ settingsProblem: undefined });
        // Approval of new agents applies at once, like the dashboard's switch; port and host need a restart.
        hub?.services.approvals.setEnabled(read.config.approveNewAgents);
        if (hub !== undefined && (hub.config.port !== read.config.port || hub.config.host !== read.config.host)) {
          await stopNow();
          await startNow();
        }
      }),
  };
}

function databaseProblem(status: DatabaseStatus): DatabaseProblem | undefined {
  return status.state === 'healthy' ? undefined : { state: status.state, reason: status.reason ?? status.state };
}
