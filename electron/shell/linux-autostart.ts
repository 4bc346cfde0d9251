/**
 * Launch at login on Linux: a freedesktop autostart entry (~/.config/autostart/switchboard.desktop).
 * macOS and Windows use Electron's login-item API instead.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface AutostartOptions {
  /** The command that starts the app (the AppImage path, or the installed binary). */
  exec: string;
  /** Default: $XDG_CONFIG_HOME, else ~/.config. */
  configHome?: string;
}

export function autostartFile(configHome: string = process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config')): string {
  return join(configHome, 'autostart', 'switchboard.desktop');
}

/** A path with spaces or quotes must be quoted for the desktop entry's Exec key. */
function execValue(command: string): string {
  return /[\s"'\\]/.test(command) ? `"${command.replace(/(["`$\\])/g, '\\$1')}"` : command;
}

export function desktopEntry(exec: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Switchboard',
    'Comment=Local hub for AI agents',
    `Exec=${execValue(exec)} --hidden`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function linuxAutostart(options: AutostartOptions): { get(): boolean; set(enabled: boolean): void } {
  const file = autostartFile(options.configHome);
  return {
    get: () => existsSync(file),
    set(enabled) {
      if (!enabled) {
        rmSync(file, { force: true });
        return;
      }
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, desktopEntry(options.exec), { mode: 0o644 });
    },
  };
}
