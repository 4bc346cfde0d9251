/**
 * How the window reaches the hub: the page is served by the hub itself, and a session cookie
 * authenticates every request and the WebSocket. In a browser a login link set that cookie; inside the
 * desktop app the preload bridge signs the window in with a session of its own first.
 */
import type { DesktopBridge } from '../../../shared/desktop-bridge.js';

export interface HubAccess {
  /** `http://127.0.0.1:8765`, no trailing slash. */
  httpBase: string;
  /** `ws://127.0.0.1:8765/ws`. */
  wsUrl: string;
}

declare global {
  interface Window {
    switchboard?: DesktopBridge;
  }
}

export async function resolveHubAccess(): Promise<HubAccess> {
  if (window.switchboard !== undefined) await window.switchboard.signIn();
  const { protocol, host } = window.location;
  return { httpBase: `${protocol}//${host}`, wsUrl: `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/ws` };
}
