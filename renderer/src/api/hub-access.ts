/**
 * How the window reaches the hub: inside Electron, the address and token come from the preload bridge;
 * in a browser, the page is served by the hub itself and its session cookie authenticates every request.
 */
import type { DesktopBridge } from '../../../shared/desktop-bridge.js';

export interface HubAccess {
  /** `http://127.0.0.1:8765`, no trailing slash. */
  httpBase: string;
  /** `ws://127.0.0.1:8765/ws`. */
  wsUrl: string;
  /** Sent as a bearer token and in `hello`; undefined when the session cookie does the work. */
  token: string | undefined;
}

declare global {
  interface Window {
    switchboard?: DesktopBridge;
  }
}

export async function resolveHubAccess(): Promise<HubAccess> {
  if (window.switchboard !== undefined) {
    const { url, token } = await window.switchboard.connection();
    const base = url.replace(/\/+$/, '');
    return { httpBase: base, wsUrl: `${base.replace(/^http/, 'ws')}/ws`, token };
  }
  const { protocol, host } = window.location;
  return { httpBase: `${protocol}//${host}`, wsUrl: `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/ws`, token: undefined };
}
