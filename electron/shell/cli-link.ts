/**
 * "Install command-line tool": where the desktop app puts the `switchboard` command on each OS, putting it
 * there, taking it away again, and whether that folder is on the PATH. Plain Node; tests pass a temp HOME.
 */
import { accessSync, chmodSync, constants, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import type { CliToolStatus } from '../../shared/desktop-bridge.js';
import { windowsUserPath, type UserPath } from './windows-user-path.js';

/**
 * What `switchboard` runs: in a checkout or an npm install, the package's `bin` script under Node; in an
 * installer build, whose code only Electron can read (app.asar), the app's own binary with `--cli`.
 */
export type CliTarget = { kind: 'script'; path: string } | { kind: 'app'; executable: string };

export interface CliLinkOptions {
  target: CliTarget;
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

/** The `bin` script a package.json names for `switchboard`, as npm would link it. */
export function packageCliEntry(appPath: string): string {
  const pkg = JSON.parse(readFileSync(join(appPath, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.['switchboard'];
  if (bin === undefined) throw new Error(`${join(appPath, 'package.json')} names no switchboard command`);
  return join(appPath, bin);
}

/**
 * What the running app links as `switchboard`. An AppImage runs from a mount that changes at every start, so
 * its command names the AppImage file itself (APPIMAGE), as the user sees it.
 */
export function appCliTarget(app: { packaged: boolean; appPath: string; executable: string; env?: NodeJS.ProcessEnv }): CliTarget {
  if (!app.packaged) return { kind: 'script', path: packageCliEntry(app.appPath) };
  return { kind: 'app', executable: (app.env ?? process.env)['APPIMAGE'] ?? app.executable };
}

/** The first line after the interpreter's that marks a file as a shim this app wrote, whichever installation it names. */
const SHIM_MARK = 'Switchboard command-line tool';

const shellQuote = (text: string): string => `'${text.replaceAll("'", "'\\''")}'`;

/** A shell script (POSIX) or a batch file (Windows) passing every argument on; undefined where a symbolic link does. */
function shim(target: CliTarget, windows: boolean): string | undefined {
  if (windows) {
    const run = target.kind === 'app' ? `"${target.executable}" --cli` : `node "${target.path}"`;
    return `@echo off\r\nrem ${SHIM_MARK}\r\n${run} %*\r\n`;
  }
  if (target.kind === 'script') return undefined;
  return `#!/bin/sh\n# ${SHIM_MARK}: the desktop app runs the command line and exits.\nexec ${shellQuote(target.executable)} --cli "$@"\n`;
}

export function createCliLink(options: CliLinkOptions): CliLink {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const windows = platform === 'win32';
  const target: CliTarget = options.target.kind === 'script' ? { kind: 'script', path: resolve(options.target.path) } : options.target;
  const wanted = shim(target, windows);
  const userPath = options.userPath ?? (windows ? windowsUserPath() : undefined);

  const where = (): { folder: string; path: string } => {
    const folder = cliFolder(options);
    return { folder, path: join(folder, windows ? 'switchboard.cmd' : 'switchboard') };
  };

  /**
   * What is at the command's path: nothing, this installation's command, a shim an earlier installation of
   * the app wrote (replaced on install), or something else we must not touch.
   */
  const found = (path: string): 'none' | 'ours' | 'stale' | 'other' => {
    try {
      const stat = lstatSync(path);
      if (wanted === undefined)
        return stat.isSymbolicLink() && target.kind === 'script' && resolve(join(path, '..'), readlinkSync(path)) === target.path ? 'ours' : 'other';
      if (!stat.isFile()) return 'other';
      const text = readFileSync(path, 'utf8');
      if (text === wanted) return 'ours';
      return text.split(/\r?\n/)[1]?.includes(SHIM_MARK) === true ? 'stale' : 'other';
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
      mkdirSync(folder, { recursive: true });
      if (wanted !== undefined) {
        writeFileSync(path, wanted, { mode: 0o755 });
        chmodSync(path, 0o755);
      } else if (target.kind === 'script') {
        // The link runs the script through its `#!/usr/bin/env node` line, which needs it executable.
        chmodSync(target.path, statSync(target.path).mode | 0o755);
        symlinkSync(target.path, path);
      }
      if (windows && userPath !== undefined && !userPath.includes(folder)) userPath.add(folder);
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
