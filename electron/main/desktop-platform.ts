/** The shell's platform interface (electron/shell/platform.ts) implemented with Electron. */
import { app, dialog, Notification, shell, type BrowserWindow } from 'electron';
import { linuxAutostart } from '../shell/linux-autostart.js';
import type { ShellPlatform } from '../shell/platform.js';

export function desktopPlatform(window: () => BrowserWindow | undefined, quit: () => void): ShellPlatform {
  // Linux has no login-item API: a freedesktop autostart entry does the job (the AppImage path when packaged as one).
  const autostart = process.platform === 'linux' ? linuxAutostart({ exec: process.env['APPIMAGE'] ?? process.execPath }) : undefined;
  return {
    showWindow(page) {
      const w = window();
      if (w === undefined) return;
      if (w.isMinimized()) w.restore();
      w.show();
      w.focus();
      // The dashboard routes by hash, so changing it moves the loaded page without reloading it.
      const url = URL.parse(w.webContents.getURL());
      if (page === undefined || url === null || !url.protocol.startsWith('http')) return;
      url.hash = `#/${page}`;
      void w.loadURL(url.toString()).catch(() => undefined);
    },
    async chooseBackupFile(defaultPath) {
      const w = window();
      const options = { title: 'Export backup', defaultPath, filters: [{ name: 'Switchboard backup', extensions: ['db'] }] };
      const result = w === undefined ? await dialog.showSaveDialog(options) : await dialog.showSaveDialog(w, options);
      return result.canceled ? undefined : result.filePath;
    },
    async chooseBackupToRestore(defaultFolder) {
      const w = window();
      const options = {
        title: 'Restore backup',
        defaultPath: defaultFolder,
        properties: ['openFile' as const],
        filters: [{ name: 'Switchboard backup', extensions: ['db'] }],
      };
      const result = w === undefined ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(w, options);
      return result.canceled ? undefined : result.filePaths[0];
    },
    async confirm(question, detail, confirmLabel) {
      const w = window();
      const options = { type: 'warning' as const, message: question, detail, buttons: [confirmLabel, 'Cancel'], defaultId: 1, cancelId: 1 };
      const { response } = w === undefined ? await dialog.showMessageBox(options) : await dialog.showMessageBox(w, options);
      return response === 0;
    },
    async openFolder(path) {
      const problem = await shell.openPath(path);
      if (problem !== '') throw new Error(`Could not open ${path}: ${problem}`);
    },
    launchAtLogin: autostart ?? {
      get: () => app.getLoginItemSettings().openAtLogin,
      set: (enabled) => app.setLoginItemSettings({ openAtLogin: enabled, args: ['--hidden'] }),
    },
    notify(title, body, onClick) {
      if (!Notification.isSupported()) return;
      const notification = new Notification({ title, body });
      if (onClick !== undefined) notification.on('click', onClick);
      notification.show();
    },
    ask(title, body, actions) {
      if (!Notification.isSupported()) return Promise.resolve('dismissed');
      return new Promise((resolve) => {
        const notification = new Notification({ title, body, actions: actions.map((text) => ({ type: 'button' as const, text })) });
        notification.on('action', (_event, index) => resolve(index));
        notification.on('click', () => resolve('clicked'));
        notification.on('close', () => resolve('dismissed'));
        notification.show();
      });
    },
    quit,
  };
}
