/**
 * Fetch metadata for the browser session: a request that changes something, or opens a WebSocket, with
 * the session cookie is refused when the browser says another site's page made it (`Sec-Fetch-Site`),
 * whether or not it sent an `Origin`.
 */
import type { IncomingMessage } from 'node:http';
import { SwitchboardError } from '../../../shared/index.js';
import { cookieValue, SESSION_COOKIE } from '../auth/auth.js';

/** Methods that may change something. GET and HEAD only read, except a WebSocket upgrade. */
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * `same-site` counts as foreign too: cookies are not tied to a port, so another web server on this
 * machine is the same site. `same-origin` and `none` (typed, bookmarked) pass; so does no header at all,
 * from browsers too old to send it, where SameSite=Strict and the Origin check still stand.
 */
const FOREIGN = new Set(['cross-site', 'same-site']);

export function refuseForeignFetch(req: IncomingMessage): void {
  if (cookieValue(req.headers.cookie, SESSION_COOKIE) === undefined) return;
  const upgrade = req.headers.upgrade?.toLowerCase() === 'websocket';
  if (!upgrade && !STATE_CHANGING.has(req.method ?? 'GET')) return;
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && FOREIGN.has(site.toLowerCase())) {
    throw new SwitchboardError(
      'SB_ERR_ORIGIN',
      `the browser session may not be used by another site's page (Sec-Fetch-Site: ${site}); open the dashboard from the hub's own address`,
    );
  }
}
