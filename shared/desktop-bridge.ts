/**
 * What the Electron preload exposes to the window as `window.switchboard`. In a browser it is absent and
 * the window signs in with the hub's session cookie instead.
 */
export interface DesktopBridge {
  /** Where the embedded hub listens (`http://127.0.0.1:8765`) and the admin token to use. */
  connection(): Promise<{ url: string; token: string }>;
  /** Asks where to save, then has the hub write a consistent copy; undefined when the person cancels. */
  exportBackup(): Promise<{ file: string; lastSeq: number } | undefined>;
  openDataFolder(): Promise<void>;
  openLogsFolder(): Promise<void>;
  launchAtLogin(): Promise<boolean>;
  setLaunchAtLogin(enabled: boolean): Promise<boolean>;
  appVersion(): Promise<string>;
}

/** The IPC channel of a bridge method; main validates the sender of every call. */
export function desktopChannel(method: keyof DesktopBridge): `switchboard:${keyof DesktopBridge}` {
  return `switchboard:${method}`;
}
