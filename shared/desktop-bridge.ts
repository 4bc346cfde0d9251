/**
 * What the Electron preload exposes to the window as `window.switchboard`. In a browser it is absent and
 * the window signs in with a login link's session cookie instead. Nothing here hands the page a secret.
 */
export interface DesktopBridge {
  /**
   * Signs the window in: the app gives it a browser session of its own, set as the same HttpOnly cookie
   * a login link sets (never a token, never the admin token), and resolves once the cookie is in place.
   */
  signIn(): Promise<void>;
  /** Asks where to save, then has the hub write a consistent copy; undefined when the person cancels. */
  exportBackup(): Promise<{ file: string; lastSeq: number } | undefined>;
  openDataFolder(): Promise<void>;
  openLogsFolder(): Promise<void>;
  launchAtLogin(): Promise<boolean>;
  setLaunchAtLogin(enabled: boolean): Promise<boolean>;
  appVersion(): Promise<string>;
  /** The `switchboard` command the app can put on the PATH: where it goes, and whether it is there. */
  cliTool(): Promise<CliToolStatus>;
  /** Links the command into its folder (see cliTool); rejects if another `switchboard` is in the way. */
  installCliTool(): Promise<CliToolStatus>;
  removeCliTool(): Promise<CliToolStatus>;
}

/** The command-line tool as the desktop app installs it. */
export interface CliToolStatus {
  installed: boolean;
  /** The command's absolute path, e.g. ~/.local/bin/switchboard (the command MCP configs name). */
  path: string;
  folder: string;
  /** Whether that folder is on the PATH new terminals get. */
  onPath: boolean;
  /** Something that is not this app's command already sits at `path`. */
  conflict?: true;
}

/** The IPC channel of a bridge method; main validates the sender of every call. */
export function desktopChannel(method: keyof DesktopBridge): `switchboard:${keyof DesktopBridge}` {
  return `switchboard:${method}`;
}

/**
 * The channel on which the preload reports a link the person clicked, for main to open in the browser.
 * It is not part of `window.switchboard`, so no script in the page can send on it.
 */
export const linkClickChannel = 'switchboard:link-click';
