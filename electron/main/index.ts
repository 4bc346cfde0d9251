/**
 * The Electron main process: one instance, the embedded hub, the tray, the window. Reads like a list
 * of setup steps; the logic behind each one lives in electron/shell/, which tests run without Electron.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, type BrowserWindow } from 'electron';
import { resolveDataDir } from '../common/data-dir.js';
import { createLogger, type Logger } from '../common/logger.js';
import { notifyAlerts } from '../shell/alert-notifications.js';
import { notifyApprovals } from '../shell/approval-notifications.js';
import { commandNames, runCli } from '../cli/run.js';
import { cliArguments } from '../shell/cli-invocation.js';
import { appCliTarget, createCliLink } from '../shell/cli-link.js';
import { createHubHost, type HubHost, type HubState } from '../shell/hub-host.js';
import { watchSettings } from '../shell/settings-watcher.js';
import { createTrayActions } from '../shell/tray-actions.js';
import { trayModel, type TrayAction } from '../shell/tray-menu.js';
import { createWindowSession, type WindowSession } from '../shell/window-session.js';
import { desktopPlatform } from './desktop-platform.js';
import { registerBridge } from './ipc.js';
import { createTray } from './tray.js';
import { createMainWindow, hubDownPage } from './window.js';

const here = dirname(fileURLToPath(import.meta.url));
const resources = join(app.getAppPath(), 'resources');

/**
 * Loads the dashboard from the hub, again whenever the hub's address changes or a hub that starts no
 * longer knows the window's session (a restored database), so the page signs in anew; a notice while it is down.
 */
function setupWindowContent(window: BrowserWindow, host: HubHost, windowSession: WindowSession, logger: Logger): void {
  let loaded: string | undefined;
  let lastState: HubState | undefined;
  // Not awaited: the next change of the hub loads again. A load fails when a newer one replaces it.
  const show = (url: string): void =>
    void window.loadURL(url).catch((error: unknown) => logger.warn('the window did not finish loading a page', { error: String(error) }));
  const load = (): void => {
    const { address, state, error } = host.status();
    const started = state === 'running' && lastState !== 'running';
    lastState = state;
    if (address !== undefined && (address !== loaded || (started && windowSession.lost()))) {
      loaded = address;
      show(`${address}/`);
    } else if (state === 'error' && loaded !== 'error') {
      loaded = 'error';
      show(hubDownPage(error ?? 'It could not start.'));
    }
  };
  host.onChange(load);
  load();
}

function main(): void {
  let window: BrowserWindow | undefined;
  let quitting = false;
  const quit = (): void => {
    quitting = true;
    app.quit();
  };
  const platform = desktopPlatform(() => window, quit);
  const dataDir = resolveDataDir(undefined);
  // The desktop shell's own log, beside the hub's: what went wrong in work nothing waits for.
  const logger = createLogger({ file: join(dataDir, 'logs', 'desktop.log'), stderrLevel: 'warn' });
  const failed =
    (what: string) =>
    (error: unknown): void =>
      logger.error(what, { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  const host = createHubHost({
    dataDir,
    hubOptions: {
      onBackupError: (error) => platform.notify('Scheduled backup failed', `${(error as Error).message} — the next one is tried at its time.`),
      // The self-test's scratch hubs are this binary in command-line mode (`electron <app> --cli` in development).
      selftest: { command: { command: process.execPath, args: app.isPackaged ? ['--cli'] : [app.getAppPath(), '--cli'] } },
    },
  });
  const cliLink = createCliLink({ target: appCliTarget({ packaged: app.isPackaged, appPath: app.getAppPath(), executable: process.execPath }) });
  const actions = createTrayActions({ host, platform, cliLink });
  const windowSession = createWindowSession({ services: () => host.hub()?.services });
  const run = (action: TrayAction): Promise<void> => {
    // The window's session ends with the app, while the hub still runs to record it.
    if (action === 'quit') windowSession.end();
    return actions.run(action);
  };

  app.on('second-instance', () => platform.showWindow());
  // macOS: clicking the Dock icon brings the hidden window back.
  app.on('activate', () => platform.showWindow());
  // Closing the window keeps the app in the tray; only Quit ends it.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', (event) => {
    if (quitting) return;
    // Quit from the OS (Cmd+Q, logout): stop the hub cleanly first, then quit for real.
    event.preventDefault();
    void run('quit').catch(failed('the hub did not stop cleanly before quitting'));
  });

  const ready = async (): Promise<void> => {
    // An action may change what the menu shows without the hub changing (launch at login, the command-line tool).
    const tray = createTray(resources, (action) => void run(action).then(() => renderTray(), failed(`the tray action ${action} failed`)));
    const renderTray = (): void => tray.render(trayModel(host.status(), platform.launchAtLogin.get(), cliLink.status().installed));
    host.onChange(renderTray);
    renderTray();

    window = createMainWindow({ preload: join(here, '../preload/index.cjs'), icon: join(resources, 'icon.png') }, () => {
      const address = host.status().address;
      return address === undefined ? undefined : new URL(address).origin;
    });
    window.on('close', (event) => {
      if (quitting) return;
      event.preventDefault();
      window?.hide();
    });
    registerBridge({ host, platform, actions, windowSession, cliLink, window: () => window?.webContents });
    notifyAlerts(host, platform);
    notifyApprovals(host, platform);
    watchSettings(host.dataDir, () => void host.reloadSettings().catch(failed('changed settings were not applied')));

    await host.start();
    setupWindowContent(window, host, windowSession, logger);
    if (!process.argv.includes('--hidden')) platform.showWindow();
  };
  void app.whenReady().then(ready).catch(failed('the desktop app could not start'));
}

/**
 * The app's binary as the `switchboard` command: no tray, no window, no single-instance hand-over. It exits
 * when the command is done (after stdout has drained); serve, tail and mcp keep running as under Node.
 */
async function runCommandLine(args: string[]): Promise<void> {
  app.dock?.hide();
  const { exitCode, running } = await runCli(args);
  const exit = (): void => void process.stdout.write('', () => app.exit(exitCode));
  if (running === undefined) exit();
  // Node ends `switchboard mcp` when its client closes stdin; Electron does not end by itself.
  else if (running === 'mcp') {
    if (process.stdin.readableEnded) exit();
    else process.stdin.once('end', exit);
  }
}

const commandLine = cliArguments(process.argv, { packaged: app.isPackaged, commands: commandNames() });
// runCli answers every failure with an exit code, so nothing is left to catch here.
if (commandLine !== undefined) void runCommandLine(commandLine);
// A second launch hands over to the first (which shows its window) and exits.
else if (app.requestSingleInstanceLock()) main();
else app.quit();
