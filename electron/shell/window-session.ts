/**
 * The desktop window's own sign-in: a browser session on the embedded hub (the kind a login link
 * creates, with the dashboard's rights), handed to the window's cookie jar as an HttpOnly cookie, so
 * the page never holds a secret and never the admin token from connection.json.
 */
import { DEFAULT_ADMIN_AGENT, SESSION_COOKIE, revokeToken, type HubServices } from '../hub/index.js';

/** How the window's session appears in the token list. */
export const WINDOW_SESSION_LABEL = 'desktop window';

/**
 * The cookie for the window's cookie jar (Electron's `cookies.set` takes it as is). No expiry: the jar
 * keeps it for this run of the app only; the hub ends the session when the app quits.
 */
export interface WindowSessionCookie {
  url: string;
  name: typeof SESSION_COOKIE;
  value: string;
  path: '/';
  httpOnly: true;
  sameSite: 'strict';
}

export type WindowSession = ReturnType<typeof createWindowSession>;

/** `services` is the running hub's, undefined while it is stopped. */
export function createWindowSession(deps: { services: () => HubServices | undefined }) {
  /** The token row of the session handed out last, until it is ended. */
  let current: string | undefined;

  const revokeCurrent = (s: HubServices, reason: string): void => {
    if (current === undefined) return;
    revokeToken(s, current, DEFAULT_ADMIN_AGENT, reason);
    current = undefined;
  };

  return {
    /**
     * A new session for the window at the hub's `address`; the one handed out before (a page that was
     * reloaded or moved to a new port) ends, so the window holds one session at a time.
     */
    renew(address: string): WindowSessionCookie {
      const s = deps.services();
      if (s === undefined) throw new Error('the hub is not running');
      revokeCurrent(s, 'the desktop window signed in again');
      const session = s.sessions.create(WINDOW_SESSION_LABEL);
      current = session.record.id;
      return { url: new URL(address).origin, name: SESSION_COOKIE, value: session.secret, path: '/', httpOnly: true, sameSite: 'strict' };
    },
    /** Ends the window's session (the app is quitting); its open connections close with SB_ERR_AUTH. */
    end(): void {
      const s = deps.services();
      if (s !== undefined) revokeCurrent(s, 'the desktop app quit');
    },
    /**
     * True when a session was handed out and the running hub no longer accepts it (revoked from the token
     * list, expired, or gone with a restored database): the window has to sign in again.
     */
    lost(): boolean {
      const s = deps.services();
      if (s === undefined || current === undefined) return false;
      const record = s.tokens.get(current);
      return record === undefined || record.revoked_at !== null || (record.expires_at !== null && Date.parse(record.expires_at) <= s.clock.now());
    },
  };
}
