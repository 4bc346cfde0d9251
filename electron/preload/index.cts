/**
 * The window's only way to the desktop: a small typed API on `window.switchboard`, and the report of a
 * link the person clicked. A sandboxed preload is a CommonJS script that may require only `electron`,
 * so it imports types only, and it runs without DOM types: it names the little of the DOM it uses.
 */
import electron = require('electron');
import type { DesktopBridge, desktopChannel, linkClickChannel } from '../../shared/desktop-bridge.js';

const { contextBridge, ipcRenderer } = electron;

// The same as desktopChannel and linkClickChannel in shared/desktop-bridge.ts, which a sandboxed preload cannot load.
const channel: typeof desktopChannel = (method) => `switchboard:${method}`;
const linkChannel: typeof linkClickChannel = 'switchboard:link-click';

const bridge: DesktopBridge = {
  signIn: () => ipcRenderer.invoke(channel('signIn')),
  exportBackup: () => ipcRenderer.invoke(channel('exportBackup')),
  openDataFolder: () => ipcRenderer.invoke(channel('openDataFolder')),
  openLogsFolder: () => ipcRenderer.invoke(channel('openLogsFolder')),
  launchAtLogin: () => ipcRenderer.invoke(channel('launchAtLogin')),
  setLaunchAtLogin: (enabled: boolean) => ipcRenderer.invoke(channel('setLaunchAtLogin'), enabled === true),
  appVersion: () => ipcRenderer.invoke(channel('appVersion')),
  cliTool: () => ipcRenderer.invoke(channel('cliTool')),
  installCliTool: () => ipcRenderer.invoke(channel('installCliTool')),
  removeCliTool: () => ipcRenderer.invoke(channel('removeCliTool')),
};

contextBridge.exposeInMainWorld('switchboard', bridge);

interface LinkClick {
  /** False for a click a script made (`element.click()`, `dispatchEvent`). */
  isTrusted: boolean;
  defaultPrevented: boolean;
  button: number;
  target: { closest?(selector: string): { getAttribute(name: string): string | null } | null } | null;
  preventDefault(): void;
}

interface PreloadWindow {
  addEventListener(type: 'click' | 'auxclick', listener: (event: LinkClick) => void, capture: boolean): void;
  location: { href: string; origin: string };
}

const page = globalThis as unknown as PreloadWindow;

/**
 * A real click (or middle click) on a link away from the hub's page goes to main, which opens it in the
 * browser if it is http(s). The listener lives in the preload's isolated world, where page scripts can
 * neither fake `isTrusted` nor remove it.
 */
function onLinkClick(event: LinkClick): void {
  if (!event.isTrusted || event.defaultPrevented || event.button > 1) return;
  const href = event.target?.closest?.('a[href]')?.getAttribute('href');
  if (href === null || href === undefined) return;
  let url: URL;
  try {
    url = new URL(href, page.location.href);
  } catch {
    return;
  }
  if (url.origin === page.location.origin) return;
  event.preventDefault();
  // Electron's main process logs a link it refused or could not open; the page has nothing to show for it.
  ipcRenderer.invoke(linkChannel, url.href).catch(() => undefined);
}

page.addEventListener('click', onLinkClick, true);
page.addEventListener('auxclick', onLinkClick, true);
