/**
 * What the Electron preload exposes to the window as `window.switchboard`. In a browser it is absent and
 * the window signs in with the hub's session cookie instead.
 */
export interface DesktopBridge {
  /** Where the embedded hub listens (`http://127.0.0.1:8765`) and the admin token to use. */
  connection(): Promise<{ url: string; token: string }>;
}
