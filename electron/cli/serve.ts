/** `switchboard serve`: run the hub headless until SIGINT or SIGTERM. */
import { join } from 'node:path';
import { HubStartError, createHub, exposureWarning, startFailureMessage, type HubSettings } from '../hub/index.js';
import { resolveDataDir } from '../common/data-dir.js';
import { createLogger } from '../common/logger.js';
import { readSettingsFile, settingsFilePath } from '../common/settings-file.js';
import { CliError } from './hub-client.js';

export async function serve(values: { port?: string | undefined; host?: string | undefined; dataDir?: string | undefined }): Promise<void> {
  const dataDir = resolveDataDir(values.dataDir);
  const fromFile = readSettingsFile(dataDir);
  const settings = {
    ...fromFile,
    dataDir,
    ...(values.port === undefined ? {} : { port: /^\d+$/.test(values.port) ? Number(values.port) : values.port }),
    ...(values.host === undefined ? {} : { host: values.host }),
  } as HubSettings;
  const logFile = join(dataDir, 'logs', 'hub.log');
  const hub = createHub(settings, { logger: createLogger({ file: logFile, stderrLevel: 'warn' }) });
  // For what the terminal already shows in words: the log file only, so no JSON echo and never a stack there.
  const fileLog = createLogger({ file: logFile });
  let started;
  try {
    started = await hub.start();
  } catch (error) {
    await hub.stop().catch((stopError: unknown) => fileLog.error('could not stop after a failed start', { error: stackOf(stopError) }));
    fileLog.error('hub could not start', { error: stackOf(error) });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      // A port the person chose (flag or settings.json) is kept to, never silently moved; say where it was chosen.
      const inFile = values.port === undefined && fromFile['port'] !== undefined;
      const advice = inFile ? `It is set in ${settingsFilePath(dataDir)}: change it there, or choose another with --port.` : 'Choose another with --port.';
      throw new CliError(`Port ${hub.config.port} on ${hub.config.host} is already in use. ${advice}`);
    }
    throw new HubStartError(startFailureMessage(error, hub.config), { cause: error });
  }
  if (started.portTaken !== undefined) {
    process.stderr.write(
      `Port ${started.portTaken} is already in use (another local agent tool may have it); Switchboard is using port ${started.port} instead.\n`,
    );
  }
  // Ready for a clean stop before saying so: a supervisor may send SIGTERM as soon as it reads the line below.
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    hub.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Could not stop cleanly: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const database = hub.services.databaseHealth.status();
  if (database.state === 'damaged') {
    process.stderr.write(
      `The database is damaged (${database.reason ?? 'SQLite found it corrupt'}), so Switchboard runs read-only: it serves what it can still read and refuses every write. ` +
        `Sign-ins still work, until the hub stops. ${database.advice ?? ''}\n`,
    );
  }
  process.stdout.write(`Switchboard hub listening on http://${hub.config.host}:${started.port}\n`);
  process.stdout.write(`Open the dashboard: ${hub.services.sessions.link(started.connection.http).url}\n`);
  const warning = exposureWarning(hub.config.host, started.port);
  if (warning !== undefined) {
    process.stdout.write(`${warning}\n`);
    fileLog.warn(warning);
  }
  process.stderr.write(`Data folder: ${dataDir} (agents connect with ${join(dataDir, 'connection.json')})\n`);
}

const stackOf = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error));
