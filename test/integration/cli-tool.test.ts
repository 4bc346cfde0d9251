/**
 * "Install command-line tool": the desktop app links the real built `switchboard` into a folder on the PATH
 * of a temporary HOME (never the user's own folders), the command runs from anywhere, and it goes away again.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { createBridgeHandlers } from '../../electron/shell/bridge-handlers.js';
import { cliArguments } from '../../electron/shell/cli-invocation.js';
import { appCliTarget, cliFolder, createCliLink, packageCliEntry } from '../../electron/shell/cli-link.js';
import type { ShellPlatform } from '../../electron/shell/platform.js';
import { createTrayActions } from '../../electron/shell/tray-actions.js';
import type { UserPath } from '../../electron/shell/windows-user-path.js';
import { createWindowSession } from '../../electron/shell/window-session.js';
import { HUB_VERSION } from '../../shared/index.js';
import { CLI } from '../helpers/cli-process.js';
import { testHost } from '../helpers/desktop.js';
import { startHub, tempFolders } from '../helpers/hub.js';
import { mcpStdioConfig } from '../../renderer/src/views/settings/mcp-config.js';

const run = promisify(execFile);
const RUN = fileURLToPath(new URL('../../dist/electron/cli/run.js', import.meta.url));
const folder = tempFolders('switchboard-cli-tool-');

/** A Linux desktop whose HOME is a new temporary folder, with ~/.local/bin on its PATH. */
function linuxLink() {
  const home = folder();
  const bin = join(home, '.local', 'bin');
  return { home, bin, link: createCliLink({ target: { kind: 'script', path: CLI }, platform: 'linux', home, env: { PATH: `/usr/bin:${bin}` } }) };
}

/** The user PATH of a Windows account, kept in memory. */
function memoryUserPath(entries: string[]): UserPath {
  return {
    includes: (f) => entries.includes(f),
    add: (f) => void entries.push(f),
    remove: (f) => void entries.splice(entries.indexOf(f), 1),
  };
}

describe('the command-line tool on Linux', () => {
  it('links switchboard into ~/.local/bin, where it runs from any folder', async () => {
    const { bin, link } = linuxLink();
    expect(link.status()).toEqual({ installed: false, path: join(bin, 'switchboard'), folder: bin, onPath: true });
    expect(link.install()).toEqual({ installed: true, path: join(bin, 'switchboard'), folder: bin, onPath: true });
    const { stdout } = await run(join(bin, 'switchboard'), ['--version'], { cwd: folder() });
    expect(stdout).toBe(`${HUB_VERSION}\n`);
  });

  it('removes the command again', () => {
    const { bin, link } = linuxLink();
    link.install();
    expect(link.remove().installed).toBe(false);
    expect(existsSync(join(bin, 'switchboard'))).toBe(false);
  });

  it('never replaces or removes another switchboard already in the folder', () => {
    const { bin, link } = linuxLink();
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'switchboard'), '#!/bin/sh\necho mine\n');
    expect(link.status()).toMatchObject({ installed: false, conflict: true });
    expect(() => link.install()).toThrow(`${join(bin, 'switchboard')} already exists and is not this app's command`);
    link.remove();
    expect(readFileSync(join(bin, 'switchboard'), 'utf8')).toBe('#!/bin/sh\necho mine\n');
  });

  it('says when the folder is not on the PATH', () => {
    const home = folder();
    const link = createCliLink({ target: { kind: 'script', path: CLI }, platform: 'linux', home, env: { PATH: '/usr/bin:/bin' } });
    expect(link.install()).toMatchObject({ installed: true, onPath: false });
  });
});

/**
 * An installer build: its code is in app.asar, which only the app's binary can read, so the command is a shim
 * starting that binary with --cli. A script that prints its arguments and exits 3 stands in for the binary.
 */
describe('the command-line tool of an installer build', () => {
  function installedApp() {
    const home = folder();
    // A folder name with a space and a quote, as an install folder may have.
    const appFolder = join(folder(), "Switch board's app");
    mkdirSync(appFolder);
    const executable = join(appFolder, 'switchboard');
    writeFileSync(executable, '#!/bin/sh\nprintf "%s\\n" "$@"\nexit 3\n', { mode: 0o755 });
    const bin = join(home, '.local', 'bin');
    const link = createCliLink({ target: { kind: 'app', executable }, platform: 'linux', home, env: { PATH: bin } });
    return { home, bin, executable, link };
  }

  it("starts the app's binary with --cli and every argument exactly as typed, and exits with its exit code", async () => {
    const { bin, link } = installedApp();
    expect(link.install()).toMatchObject({ installed: true, path: join(bin, 'switchboard') });
    expect(statSync(join(bin, 'switchboard')).mode & 0o111).not.toBe(0);
    const error = await run(join(bin, 'switchboard'), ['send', 'team chat', "it's $HOME"], { cwd: folder() }).catch((failure: unknown) => failure);
    expect(error).toMatchObject({ code: 3, stdout: "--cli\nsend\nteam chat\nit's $HOME\n" });
    expect(link.remove().installed).toBe(false);
    expect(existsSync(join(bin, 'switchboard'))).toBe(false);
  });

  it('replaces the command an earlier installation of the app left (a moved AppImage), but nothing else', () => {
    const { home, bin, link } = installedApp();
    const before = createCliLink({ target: { kind: 'app', executable: '/old/place/Switchboard.AppImage' }, platform: 'linux', home, env: { PATH: bin } });
    before.install();
    expect(link.status()).toMatchObject({ installed: false });
    expect(link.status().conflict).toBeUndefined();
    expect(link.install().installed).toBe(true);
    expect(readFileSync(join(bin, 'switchboard'), 'utf8')).not.toContain('/old/place');
  });

  it('names the AppImage file, not the mount it runs from, and the bin script when not packaged', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const mounted = { packaged: true, appPath: '/tmp/.mount_Switch/resources/app.asar', executable: '/tmp/.mount_Switch/switchboard' };
    expect(appCliTarget({ ...mounted, env: { APPIMAGE: '/home/ada/Apps/Switchboard.AppImage' } })).toEqual({
      kind: 'app',
      executable: '/home/ada/Apps/Switchboard.AppImage',
    });
    expect(appCliTarget({ ...mounted, env: {} })).toEqual({ kind: 'app', executable: '/tmp/.mount_Switch/switchboard' });
    expect(appCliTarget({ packaged: false, appPath: root, executable: '/usr/bin/electron' })).toEqual({ kind: 'script', path: packageCliEntry(root) });
  });

  it('writes a batch file starting Switchboard.exe on Windows', () => {
    const local = folder();
    const executable = 'C:\\Program Files\\Switchboard\\Switchboard.exe';
    const link = createCliLink({
      target: { kind: 'app', executable },
      platform: 'win32',
      home: folder(),
      env: { LOCALAPPDATA: local },
      userPath: memoryUserPath([]),
    });
    link.install();
    expect(readFileSync(join(local, 'Switchboard', 'bin', 'switchboard.cmd'), 'utf8')).toBe(
      `@echo off\r\nrem Switchboard command-line tool\r\n"${executable}" --cli %*\r\n`,
    );
  });
});

describe("the app's binary as the switchboard command", () => {
  const commands = ['serve', 'status', 'token'];

  it('runs a command line given after --cli (the shim) or starting with a command name (the .deb links the binary itself)', () => {
    expect(cliArguments(['/opt/Switchboard/switchboard', '--cli', 'token', 'list'], { packaged: true, commands })).toEqual(['token', 'list']);
    expect(cliArguments(['/opt/Switchboard/switchboard', 'status', '--json'], { packaged: true, commands })).toEqual(['status', '--json']);
    expect(cliArguments(['/opt/Switchboard/switchboard', '--version'], { packaged: true, commands })).toEqual(['--version']);
    expect(cliArguments(['/usr/lib/electron', '.', '--cli', 'status'], { packaged: false, commands })).toEqual(['status']);
  });

  it('starts the app for no arguments, its own switches, or anything else', () => {
    expect(cliArguments(['/opt/Switchboard/switchboard'], { packaged: true, commands })).toBeUndefined();
    expect(cliArguments(['/opt/Switchboard/switchboard', '--hidden'], { packaged: true, commands })).toBeUndefined();
    expect(cliArguments(['/usr/lib/electron', '.'], { packaged: false, commands })).toBeUndefined();
    expect(cliArguments(['/opt/Switchboard/switchboard', 'report.json'], { packaged: true, commands })).toBeUndefined();
  });

  /** What runCli reports to the app's binary, which exits unless a long-running command started. */
  async function outcome(args: string[]): Promise<unknown> {
    const script = `const { runCli } = await import(${JSON.stringify(RUN)});
      const outcome = await runCli(${JSON.stringify(args)});
      process.stderr.write('\\noutcome ' + JSON.stringify(outcome) + '\\n');
      process.exit(0);`;
    const { stderr } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: folder() });
    return JSON.parse(/^outcome (.*)$/m.exec(stderr)?.[1] ?? 'null');
  }

  it('exits after a command or its help, and keeps running only a hub that serve started', async () => {
    expect(await outcome(['--version'])).toEqual({ exitCode: 0, aborted: false });
    expect(await outcome(['serve', '--help'])).toEqual({ exitCode: 0, aborted: false });
    expect(await outcome(['servr'])).toEqual({ exitCode: 2, aborted: false });
    expect(await outcome(['serve', '--port', 'x', '--data-dir', folder()])).toEqual({ exitCode: 1, aborted: true });
    expect(await outcome(['serve', '--port', '0', '--data-dir', folder()])).toEqual({ exitCode: 0, aborted: false, running: 'serve' });
  });
});

describe('the command the app links', () => {
  it('is the bin of the installation it runs from, as npm would link it', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const { bin } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(packageCliEntry(root)).toBe(join(root, bin['switchboard'] ?? 'none'));
    expect(existsSync(packageCliEntry(root))).toBe(true);
  });
});

describe('where the command goes on macOS and Windows', () => {
  it('uses /usr/local/bin on macOS when it may write there, else ~/.local/bin', () => {
    const home = folder();
    const shared = folder();
    expect(cliFolder({ platform: 'darwin', home, env: {}, systemBin: shared })).toBe(shared);
    expect(cliFolder({ platform: 'darwin', home, env: {}, systemBin: join(home, 'no-such-folder') })).toBe(join(home, '.local', 'bin'));
  });

  it('writes a switchboard.cmd into %LOCALAPPDATA%\\Switchboard\\bin on Windows and puts that folder on the user PATH, and takes both away', () => {
    const local = folder();
    const userPath = ['C:\\Windows'];
    const link = createCliLink({
      target: { kind: 'script', path: CLI },
      platform: 'win32',
      home: folder(),
      env: { LOCALAPPDATA: local },
      userPath: memoryUserPath(userPath),
    });
    const bin = join(local, 'Switchboard', 'bin');
    expect(link.install()).toEqual({ installed: true, path: join(bin, 'switchboard.cmd'), folder: bin, onPath: true });
    expect(readFileSync(join(bin, 'switchboard.cmd'), 'utf8')).toBe(`@echo off\r\nrem Switchboard command-line tool\r\nnode "${CLI}" %*\r\n`);
    expect(userPath).toEqual(['C:\\Windows', bin]);
    expect(link.remove()).toMatchObject({ installed: false, onPath: false });
    expect(userPath).toEqual(['C:\\Windows']);
  });
});

describe('Install command-line tool in the tray and the settings page', () => {
  function desktop() {
    const notes: string[] = [];
    const platform = { notify: (title: string, body: string) => void notes.push(`${title}: ${body}`) } as unknown as ShellPlatform;
    const host = testHost();
    const { bin, link } = linuxLink();
    const actions = createTrayActions({ host, platform, cliLink: link });
    const windowSession = createWindowSession({ services: () => undefined });
    const bridge = createBridgeHandlers({
      host,
      platform,
      actions,
      windowSession,
      cliLink: link,
      setCookie: async () => undefined,
      appVersion: () => HUB_VERSION,
    });
    return { notes, bin, actions, bridge };
  }

  it('installs from the tray menu, saying where and how to run it, and removes on the second click', async () => {
    const { notes, bin, actions } = desktop();
    await actions.run('toggle-cli');
    await actions.run('toggle-cli');
    expect(notes).toEqual([
      `Command-line tool installed: ${join(bin, 'switchboard')} — Open a new terminal and run: switchboard status`,
      `Command-line tool removed: ${join(bin, 'switchboard')} is gone.`,
    ]);
  });

  it("installs and removes through the window's bridge, which reports the absolute path", async () => {
    const { bin, bridge } = desktop();
    expect(await bridge.installCliTool()).toMatchObject({ installed: true, path: join(bin, 'switchboard') });
    expect(await bridge.cliTool()).toMatchObject({ installed: true });
    expect(await bridge.removeCliTool()).toMatchObject({ installed: false });
  });
});

describe('the MCP config the settings page shows', () => {
  it('starts the installed command by its absolute path, and the assistant reaches the hub through it', async () => {
    const hub = await startHub();
    const { link } = linuxLink();
    const server = (JSON.parse(mcpStdioConfig(link.install().path)) as { mcpServers: { switchboard: { command: string; args: string[] } } }).mcpServers
      .switchboard;
    const client = new Client({ name: 'test-assistant', version: '1.0.0' });
    // A PATH without the command's folder, as an assistant launched from a desktop launcher may have.
    const env = { PATH: process.env['PATH'] ?? '', SWITCHBOARD_HOME: hub.dataDir };
    await client.connect(new StdioClientTransport({ command: server.command, args: server.args, env, cwd: folder() }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('send_message');
      const sent = await client.callTool({ name: 'send_message', arguments: { conversation: 'general', content: 'from the installed command' } });
      expect(sent.isError).not.toBe(true);
      const stored = await fetch(`${hub.http}/api/conversations/general/messages?since=0`, { headers: { authorization: `Bearer ${hub.token}` } });
      expect(((await stored.json()) as { messages: { content: string }[] }).messages.map((m) => m.content)).toEqual(['from the installed command']);
    } finally {
      await client.close();
      await hub.stop();
    }
  });
});
