/**
 * The Windows user PATH as new terminals see it (HKCU\Environment), read and changed through PowerShell's
 * [Environment] API, which also tells running programs that it changed. Only used on Windows.
 */
import { execFileSync } from 'node:child_process';

export interface UserPath {
  includes(folder: string): boolean;
  add(folder: string): void;
  remove(folder: string): void;
}

const same = (a: string, b: string): boolean => a.replace(/\\+$/, '').toLowerCase() === b.replace(/\\+$/, '').toLowerCase();

export function windowsUserPath(): UserPath {
  // The folder travels in an environment variable, so no quoting of it into the script is needed.
  const powershell = (script: string, value = ''): string =>
    execFileSync('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script], {
      encoding: 'utf8',
      env: { ...process.env, SWITCHBOARD_PATH_VALUE: value },
    }).trim();
  const read = (): string[] =>
    powershell("[Environment]::GetEnvironmentVariable('Path', 'User')")
      .split(';')
      .filter((entry) => entry !== '');
  const write = (entries: string[]): void => {
    powershell("[Environment]::SetEnvironmentVariable('Path', $env:SWITCHBOARD_PATH_VALUE, 'User')", entries.join(';'));
  };
  return {
    includes: (folder) => read().some((entry) => same(entry, folder)),
    add: (folder) => write([...read(), folder]),
    remove: (folder) => write(read().filter((entry) => !same(entry, folder))),
  };
}
