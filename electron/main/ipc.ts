/**
 * The main side of the preload bridge. Every call is checked: it must come from the main window's top
 * frame, showing the hub's own page — never from another page, an iframe or a navigated-away window.
 */
import { app, ipcMain, shell, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { createBridgeHandlers } from '../shell/bridge-handlers.js';
import type { CliLink } from '../shell/cli-link.js';
import { externalLinkToOpen } from '../shell/external-links.js';
import type { HubHost } from '../shell/hub-host.js';
import type { ShellPlatform } from '../shell/platform.js';
import type { TrayActions } from '../shell/tray-actions.js';
import type { WindowSession } from '../shell/window-session.js';
import { desktopChannel, linkClickChannel, type DesktopBridge } from '../../shared/desktop-bridge.js';

export function registerBridge(deps: {
  host: HubHost;
  platform: ShellPlatform;
  actions: TrayActions;
  windowSession: WindowSession;
  cliLink: CliLink;
  window: () => WebContents | undefined;
}): void {
  const { host } = deps;
  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    const address = host.status().address;
    return (
      event.sender === deps.window() &&
      frame !== null &&
      frame === event.sender.mainFrame &&
      address !== undefined &&
      new URL(frame.url).origin === new URL(address).origin
    );
  };
  const handlers = createBridgeHandlers({
    ...deps,
    async setCookie(cookie) {
      const contents = deps.window();
      if (contents === undefined) throw new Error('the window is gone');
      await contents.session.cookies.set(cookie);
    },
    appVersion: () => app.getVersion(),
  });
  for (const key of Object.keys(handlers) as (keyof DesktopBridge)[]) {
    const handler = handlers[key] as (...args: unknown[]) => Promise<unknown>;
    const channel = desktopChannel(key);
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      if (!trusted(event)) throw new Error(`refused ${channel} from an untrusted sender`);
      return handler(...args);
    });
  }
  // The preload sends only links the person clicked; main still opens nothing but http(s).
  ipcMain.handle(linkClickChannel, async (event, url: unknown) => {
    if (!trusted(event)) throw new Error(`refused ${linkClickChannel} from an untrusted sender`);
    const target = typeof url === 'string' ? externalLinkToOpen(url, 'click') : undefined;
    if (target !== undefined) await shell.openExternal(target);
  });
}
