/**
 * Browser sessions over HTTP: a login link (admin), `GET /login` turning its one-time code into a session
 * cookie, who the caller is, and logging out.
 */
import type { ServerResponse } from 'node:http';
import { createLoginLinkRequest, HUB_VERSION, SwitchboardError } from '../../../shared/index.js';
import { SESSION_COOKIE } from '../auth/auth.js';
import type { HubServices } from '../services.js';
import { SESSION_TTL_MS } from '../auth/sessions.js';
import { revokeToken, type RevocationServices } from '../auth/token-revocation.js';
import { sendPage } from './html.js';
import { rawRoute, requireIdentity, route, type Route } from './http-router.js';
import { asObject, parseWith } from './parse.js';

/** SameSite=Strict: no other site's page or link brings the cookie along; HttpOnly: no script reads it. */
function setSessionCookie(res: ServerResponse, secret: string, maxAgeSeconds: number): void {
  res.setHeader('set-cookie', `${SESSION_COOKIE}=${secret}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}`);
}

export function sessionRoutes(s: Pick<HubServices, 'sessions' | 'auth'> & RevocationServices): Route[] {
  return [
    route('createLoginLink', {
      async handle(ctx) {
        const { page } = parseWith(createLoginLinkRequest, asObject(await ctx.body()), 'login link');
        // The link names the address this request reached, which the guard has checked is the hub's own.
        return { status: 201, body: { status: 'ok', ...s.sessions.link(`http://${ctx.req.headers.host ?? ''}`, { page: page === true }) } };
      },
    }),
    rawRoute({
      method: 'GET',
      path: '/login',
      access: 'public',
      handle(ctx) {
        const session = s.sessions.open(ctx.query.get('code') ?? '');
        if (session === undefined) {
          const limited = s.auth.failures.failed(ctx.req.socket.remoteAddress ?? 'unknown', 'login link', 'used, expired or unknown login code');
          if (limited !== undefined) sendPage(ctx.req, ctx.res, limited.status, 'Too many login attempts', `${limited.message}.`);
          else
            sendPage(ctx.req, ctx.res, 401, 'Login link not valid', 'This login link was already used or has expired. Run `switchboard open` for a new one.');
          return;
        }
        setSessionCookie(ctx.res, session.secret, SESSION_TTL_MS / 1000);
        // 303 to / so the code leaves the address bar; no-referrer so it never travels on as a Referer.
        ctx.res.writeHead(303, { location: '/', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store', 'content-length': 0 });
        ctx.res.end();
      },
    }),
    route('session', {
      handle(ctx) {
        const { agent, admin, via } = requireIdentity(ctx);
        return { body: { status: 'ok', agent, admin, via, hub: { version: HUB_VERSION } } };
      },
    }),
    route('logout', {
      handle(ctx) {
        const identity = requireIdentity(ctx);
        if (identity.via !== 'cookie') {
          throw new SwitchboardError('SB_ERR_VALIDATION', 'logout ends a browser session (its cookie); revoke a token with DELETE /api/tokens/<id>');
        }
        revokeToken(s, identity.tokenId, identity.agent, 'the browser session was ended (logout)');
        setSessionCookie(ctx.res, '', 0);
        return { body: { status: 'ok', logged_out: true } };
      },
    }),
  ];
}
