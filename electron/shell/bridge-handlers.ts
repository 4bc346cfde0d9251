/**
 * What each call of the preload bridge does in the main process. Plain Node: the Electron parts (the
 * window's cookie jar, the app's version) come in as functions, so tests run every handler on a real hub.
 */
import type { DesktopBridge } from '../../shared/desktop-bridge.js';
import type { CliLink } from './cli-link.js';
import type { HubHost } from './hub-host.js';
import type { ShellPlatform } from './platform.js';
import type { TrayActions } from './tray-actions.js';
import type { WindowSession, WindowSessionCookie } from './window-session.js';

export type BridgeHandlers = { [K in keyof DesktopBridge]: (...args: Parameters<DesktopBridge[K]>) => ReturnType<DesktopBridge[K]> };

export interface BridgeHandlerDeps {
  host: HubHost;
  platform: ShellPlatform;
  actions: TrayActions;
  windowSession: WindowSession;
  /** Puts the cookie into the window's cookie jar, where page scripts cannot read it (HttpOnly). */
  setCookie(cookie: WindowSessionCookie): Promise<void>;
  appVersion(): string;
  /** The `switchboard` command on the PATH (Install command-line tool). */
  cliLink: CliLink;
}

export function createBridgeHandlers(deps: BridgeHandlerDeps): BridgeHandlers {
  const { host, platform, actions, windowSession } = deps;
  return {
    async signIn() {
      const address = host.status().address;
      if (address === undefined) throw new Error('the hub is not running');
      await deps.setCookie(windowSession.renew(address));
    },
    exportBackup: () => actions.exportBackup(),
    openDataFolder: () => actions.run('open-data-folder'),
    openLogsFolder: () => actions.run('open-logs-folder'),
    launchAtLogin: async () => platform.launchAtLogin.get(),
    async setLaunchAtLogin(enabled) {
      platform.launchAtLogin.set(enabled === true);
      return platform.launchAtLogin.get();
    },
    appVersion: async () => deps.appVersion(),
    cliTool: async () => deps.cliLink.status(),
    installCliTool: async () => deps.cliLink.install(),
    removeCliTool: async () => deps.cliLink.remove(),
  };
}
