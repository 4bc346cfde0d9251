/**
 * `switchboard check`: validates settings.json and the environment the hub needs (Node, SQLite, the data
 * folder, the port) without starting a hub. Lists every problem, secrets masked; exit 1 if there is any.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { resolveConfig, type HubConfig, type HubSettings } from '../hub/index.js';
import { ConfigError } from '../common/config-error.js';
import { readConnectionFile } from '../common/connection-file.js';
import { resolveDataDir } from '../common/data-dir.js';
import { redact } from '../common/logger.js';
import { readSettingsFile, settingsFilePath } from '../common/settings-file.js';
import { formatJson } from './table.js';

const MIN_NODE_MAJOR = 22;

/** The settings the hub would run with, or every problem with them. */
function checkSettings(dataDir: string, problems: string[]): HubConfig | undefined {
  try {
    return resolveConfig({ ...readSettingsFile(dataDir), dataDir } as HubSettings);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems.map((p) => `${settingsFilePath(dataDir)}: ${p}`));
    return undefined;
  }
}

function checkNode(problems: string[]): void {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < MIN_NODE_MAJOR) problems.push(`Node.js ${process.versions.node} is too old: Switchboard needs Node.js ${MIN_NODE_MAJOR} or later`);
}

async function checkSqlite(problems: string[]): Promise<void> {
  try {
    const { default: Database } = await import('better-sqlite3');
    new Database(':memory:').close();
  } catch (error) {
    problems.push(`SQLite (better-sqlite3) cannot be loaded by Node.js ${process.versions.node}: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
}

/** The data folder, or the nearest folder it would be created in, must be a folder this user can write. */
function checkDataDir(dataDir: string, problems: string[]): void {
  let folder = dataDir;
  for (;;) {
    try {
      if (!statSync(folder).isDirectory()) {
        problems.push(`${folder} is not a folder, so the data folder ${dataDir} cannot be there`);
        return;
      }
      break;
    } catch {
      if (dirname(folder) === folder) break;
      folder = dirname(folder);
    }
  }
  try {
    accessSync(folder, constants.W_OK | constants.R_OK);
  } catch {
    problems.push(`the data folder ${dataDir} cannot be ${folder === dataDir ? 'written' : `created: ${folder} is not writable`}`);
  }
}

/** A port chosen in settings.json that something else holds (a running Switchboard on this data folder is fine). */
async function checkPort(config: HubConfig, dataDir: string, problems: string[]): Promise<string | undefined> {
  const running = readConnectionFile(dataDir);
  if (running !== undefined && running.pid !== process.pid && isAlive(running.pid))
    return `A hub is running on this data folder (pid ${running.pid}, ${running.http}).`;
  if (config.port === 0) return undefined;
  const free = await new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(config.port, config.host, () => probe.close(() => resolve(true)));
  });
  if (free) return undefined;
  if (config.portFallback) return `Port ${config.port} is in use; the hub would take the next free one.`;
  problems.push(`port ${config.port} on ${config.host} is already in use (set in ${settingsFilePath(dataDir)})`);
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function check(options: { dataDir?: string | undefined; json?: boolean | undefined }): Promise<void> {
  const dataDir = resolveDataDir(options.dataDir);
  const problems: string[] = [];
  const config = checkSettings(dataDir, problems);
  checkNode(problems);
  await checkSqlite(problems);
  checkDataDir(dataDir, problems);
  const note = config === undefined ? undefined : await checkPort(config, dataDir, problems);
  const masked = problems.map((p) => String(redact(p)));
  if (options.json === true) {
    process.stdout.write(formatJson({ ok: masked.length === 0, data_dir: dataDir, settings_file: settingsFilePath(dataDir), problems: masked }));
  } else if (masked.length === 0) {
    process.stdout.write(`No problems found: ${settingsFilePath(dataDir)} and the environment are ready for switchboard serve.\n`);
  } else {
    process.stdout.write(`${masked.length} problem${masked.length === 1 ? '' : 's'} found:\n${masked.map((p) => `  - ${p}`).join('\n')}\n`);
  }
  if (note !== undefined) process.stderr.write(`${note}\n`);
  if (masked.length > 0) process.exitCode = 1;
}
