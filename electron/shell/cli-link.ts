/**
 * "Install command-line tool": where the desktop app puts the `switchboard` command on each OS, putting it
 * there, taking it away again, and whether that folder is on the PATH. Plain Node; tests pass a temp HOME.
 */
import { accessSync, chmodSync, constants, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import type { CliToolStatus } from '../../shared/desktop-bridge.js';
import { windowsUserPath, type UserPath } from './windows-user-path.js';

export interface CliLinkOptions {
  /** The script the command runs: this installation's `bin` (see packageCliEntry). */
  cliEntry: string;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  home?: string;
  /** macOS's shared folder for commands, used when it is writable (default /usr/local/bin). */
  systemBin?: string;
  /** Windows: the user's PATH as stored for new terminals (default: the registry, through PowerShell). */
  userPath?: UserPath;
}

export interface CliLink {
  status(): CliToolStatus;
  install(): CliToolStatus;
  remove(): CliToolStatus;
}

const writable = (folder: string): boolean => {
  try {
    accessSync(folder, constants.W_OK);
    return statSync(folder).isDirectory();
  } catch {
    return false;
  }
};

/** The folder the command goes into: see README "Command line" for why each. */
export function cliFolder(options: Pick<CliLinkOptions, 'platform' | 'env' | 'home' | 'systemBin'>): string {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  if (platform === 'win32') return join(env['LOCALAPPDATA'] ?? join(home, 'AppData', 'Local'), 'Switchboard', 'bin');
  const userBin = env['XDG_BIN_HOME'] ?? join(home, '.local', 'bin');
  if (platform === 'darwin') {
    const systemBin = options.systemBin ?? '/usr/local/bin';
    return writable(systemBin) ? systemBin : userBin;
  }
  return userBin;
}

/** The command an installation runs as `switchboard`: the `bin` its package.json names, as npm would link it. */
export function packageCliEntry(appPath: string): string {
  const pkg = JSON.parse(readFileSync(join(appPath, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.['switchboard'];
  if (bin === undefined) throw new Error(`${join(appPath, 'package.json')} names no switchboard command`);
  return join(appPath, bin);
}

/** A Windows shim: runs the CLI with the `node` on PATH, passing every argument. */
const windowsShim = (cliEntry: string): string => `@echo off\r\nnode "${cliEntry}" %*\r\n`;

export function createCliLink(options: CliLinkOptions): CliLink {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const windows = platform === 'win32';
  const cliEntry = resolve(options.cliEntry);
  const userPath = options.userPath ?? (windows ? windowsUserPath() : undefined);

  const where = (): { folder: string; path: string } => {
    const folder = cliFolder(options);
    return { folder, path: join(folder, windows ? 'switchboard.cmd' : 'switchboard') };
  };

  /** What is at the command's path: nothing, this app's command, or something else we must not touch. */
  const found = (path: string): 'none' | 'ours' | 'other' => {
    try {
      const stat = lstatSync(path);
      if (windows) return stat.isFile() && readFileSync(path, 'utf8') === windowsShim(cliEntry) ? 'ours' : 'other';
      return stat.isSymbolicLink() && resolve(join(path, '..'), readlinkSync(path)) === cliEntry ? 'ours' : 'other';
    } catch {
      return 'none';
    }
  };

  const onPath = (folder: string): boolean => {
    if (userPath !== undefined) return userPath.includes(folder);
    const wanted = resolve(folder);
    return (env['PATH'] ?? '').split(delimiter).some((entry) => entry !== '' && resolve(entry) === wanted);
  };

  const status = (): CliToolStatus => {
    const { folder, path } = where();
    const state = found(path);
    return { installed: state === 'ours', path, folder, onPath: onPath(folder), ...(state === 'other' ? { conflict: true } : {}) };
  };

  return {
    status,
    install() {
      const { folder, path } = where();
      const state = found(path);
      if (state === 'ours') return status();
      if (state === 'other') throw new Error(`${path} already exists and is not this app's command: remove it first, or keep using it`);
      // An installer build keeps the CLI inside app.asar, which only Electron can read.
      if (/\.asar[\\/]/.test(cliEntry))
        throw new Error('this packaged app keeps its command inside its archive, where Node cannot run it: install it with npm install -g (see the README)');
      mkdirSync(folder, { recursive: true });
      if (windows) {
        writeFileSync(path, windowsShim(cliEntry));
        if (userPath !== undefined && !userPath.includes(folder)) userPath.add(folder);
      } else {
        // The link runs the script through its `#!/usr/bin/env node` line, which needs it executable.
        chmodSync(cliEntry, statSync(cliEntry).mode | 0o755);
        symlinkSync(cliEntry, path);
      }
      return status();
    },
    remove() {
      const { folder, path } = where();
      if (found(path) === 'ours') unlinkSync(path);
      if (userPath !== undefined && userPath.includes(folder)) userPath.remove(folder);
      return status();
    },
  };
}
