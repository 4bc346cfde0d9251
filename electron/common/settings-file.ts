/**
 * DATA_DIR/settings.json: the person's settings, read by `switchboard serve` (flags override them) and
 * read and written by the dashboard's settings page. Written atomically (temp file, then rename) with
 * mode 0600, like connection.json, so a crash never leaves half a file.
 */
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config-error.js';

const SETTINGS_FILE = 'settings.json';

export function settingsFilePath(dataDir: string): string {
  return join(dataDir, SETTINGS_FILE);
}

/** What settings.json holds; {} when there is none. Throws ConfigError when it is not a JSON object. */
export function readSettingsFile(dataDir: string): Record<string, unknown> {
  const file = settingsFilePath(dataDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError([`${file} is not a JSON object (${(error as Error).message})`]);
  }
}

export function writeSettingsFile(dataDir: string, settings: Record<string, unknown>): void {
  const target = settingsFilePath(dataDir);
  const temp = `${target}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  if (process.platform !== 'win32') chmodSync(temp, 0o600);
  renameSync(temp, target);
}
