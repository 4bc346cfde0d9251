/** Where Switchboard keeps its data: --data-dir, else SWITCHBOARD_HOME, else the OS's app-data folder. */
import { chmodSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The same folder Electron's app.getPath('userData') gives for an app named Switchboard. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Switchboard');
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Switchboard');
  return join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'Switchboard');
}

/** The hub's SQLite file, inside the data folder. */
export const DATABASE_FILE = 'switchboard.db';

export function databaseFile(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env['SWITCHBOARD_HOME'] ?? defaultDataDir(env);
}

/** Creates the data folder readable only by the user (0700). */
export function ensureDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(dir, 0o700);
}
