/** Renders the shell's tray model (electron/shell/tray-menu.ts) as an Electron Tray with its menu. */
import { join } from 'node:path';
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import type { TrayAction, TrayIcon, TrayModel } from '../shell/tray-menu.js';

/** macOS draws template images in the menu bar's colour; elsewhere the coloured ones are used. */
export function trayIconPath(resources: string, icon: TrayIcon, platform: NodeJS.Platform = process.platform): string {
  return join(resources, platform === 'darwin' ? `tray-${icon}Template.png` : `tray-${icon}.png`);
}

export function createTray(resources: string, onAction: (action: TrayAction) => void): { render(model: TrayModel): void; destroy(): void } {
  const image = (icon: TrayIcon) => nativeImage.createFromPath(trayIconPath(resources, icon));
  const tray = new Tray(image('stopped'));
  let shown: TrayIcon = 'stopped';
  return {
    render(model) {
      if (model.icon !== shown) {
        tray.setImage(image(model.icon));
        shown = model.icon;
      }
      tray.setToolTip(model.tooltip);
      const template: MenuItemConstructorOptions[] = model.items.map((item) => {
        if (item.kind === 'separator') return { type: 'separator' };
        if (item.kind === 'label') return { label: item.label, enabled: false };
        return {
          label: item.label,
          enabled: item.enabled,
          ...(item.checked === undefined ? {} : { type: 'checkbox' as const, checked: item.checked }),
          click: () => onAction(item.action),
        };
      });
      tray.setContextMenu(Menu.buildFromTemplate(template));
    },
    destroy: () => tray.destroy(),
  };
}
