/**
 * The main side of the preload bridge. Every call is checked: it must come from the main window's top
 * frame, showing the hub's own page — never from another page, an iframe or a navigated-away window.
 */
import { app, ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { readConnectionFile } from '../hub/connection-file.js';
import type { HubHost } from '../shell/hub-host.js';
import type { ShellPlatform } from '../shell/platform.js';
import type { TrayActions } from '../shell/tray-actions.js';
import { desktopChannel, type DesktopBridge } from '../../shared/desktop-bridge.js';

type Handlers = { [K in keyof DesktopBridge]: (...args: Parameters<DesktopBridge[K]>) => ReturnType<DesktopBridge[K]> };

export function registerBridge(deps: { host: HubHost; platform: ShellPlatform; actions: TrayActions; window: () => WebContents | undefined }): void {
  const { host, platform, actions } = deps;
  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    const address = host.status().address;
    return event.sender === deps.window() && frame !== null && frame === event.sender.mainFrame && address !== undefined && new URL(frame.url).origin === new URL(address).origin;
  };
  const handlers: Handlers = {
    async connection() {
      const info = readConnectionFile(host.dataDir);
      const address = host.status().address;
      if (info === undefined || address === undefined) throw new Error('the hub is not running');
      return { url: address, token: info.token };
    },
    exportBackup: () => actions.exportBackup(),
    openDataFolder: () => actions.run('open-data-folder'),
    openLogsFolder: () => actions.run('open-logs-folder'),
    launchAtLogin: async () => platform.launchAtLogin.get(),
    async setLaunchAtLogin(enabled) {
      platform.launchAtLogin.set(enabled === true);
      return platform.launchAtLogin.get();
    },
    appVersion: async () => app.getVersion(),
  };
  for (const key of Object.keys(handlers) as (keyof DesktopBridge)[]) {
    const handler = handlers[key] as (...args: unknown[]) => Promise<unknown>;
    const channel = desktopChannel(key);
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      if (!trusted(event)) throw new Error(`refused ${channel} from an untrusted sender`);
      return handler(...args);
    });
  }
}
