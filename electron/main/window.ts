/**
 * The main window: the dashboard the embedded hub serves, locked down — context isolation, sandbox, no
 * Node in the page, no navigation away from the hub, no new windows. A link leaves for the browser only
 * when the person clicks it (the preload reports the click; see electron/shell/external-links.ts).
 */
import { BrowserWindow } from 'electron';

export interface WindowOptions {
  preload: string;
  icon: string;
}

export function createMainWindow(options: WindowOptions, hubOrigin: () => string | undefined): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Switchboard',
    icon: options.icon,
    autoHideMenuBar: true,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  const { webContents } = window;
  // A script opens windows and navigates as easily as a click does, and Electron does not say which it
  // was, so neither opens anything outside: clicked links reach the browser through the preload.
  webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  webContents.on('will-navigate', (event, url) => {
    if (new URL(url).origin !== hubOrigin()) event.preventDefault();
  });
  webContents.on('will-attach-webview', (event) => event.preventDefault());
  webContents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  return window;
}

/** What the window shows when there is no hub to load the dashboard from. */
export function hubDownPage(reason: string): string {
  const escaped = reason.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Switchboard</title><style>body{font:15px system-ui,sans-serif;margin:15vh auto;max-width:34em;color:#1f2937}@media(prefers-color-scheme:dark){body{background:#111827;color:#e5e7eb}}</style>
<h1>The hub is not running</h1><p>${escaped}</p><p>Start it from the Switchboard icon in the tray: <b>Start hub</b>.</p>`;
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}
