/**
 * The window's only way to the desktop: a small typed API on `window.switchboard`. A sandboxed preload
 * is a CommonJS script that may require only `electron`, so it imports types only.
 */
import electron = require('electron');
import type { DesktopBridge, desktopChannel } from '../../shared/desktop-bridge.js';

const { contextBridge, ipcRenderer } = electron;

// The same as desktopChannel in shared/desktop-bridge.ts, which a sandboxed preload cannot load.
const channel: typeof desktopChannel = (method) => `switchboard:${method}`;

const bridge: DesktopBridge = {
  connection: () => ipcRenderer.invoke(channel('connection')),
  exportBackup: () => ipcRenderer.invoke(channel('exportBackup')),
  openDataFolder: () => ipcRenderer.invoke(channel('openDataFolder')),
  openLogsFolder: () => ipcRenderer.invoke(channel('openLogsFolder')),
  launchAtLogin: () => ipcRenderer.invoke(channel('launchAtLogin')),
  setLaunchAtLogin: (enabled: boolean) => ipcRenderer.invoke(channel('setLaunchAtLogin'), enabled === true),
  appVersion: () => ipcRenderer.invoke(channel('appVersion')),
};

contextBridge.exposeInMainWorld('switchboard', bridge);
