/** Login links and browser sessions: a one-time code becomes an HttpOnly cookie that stands for the person, on HTTP and WebSocket. */
import { afterEach, describe, expect, it } from 'vitest';
import { HUB_VERSION } from '../../shared/index.js';
import { agentToken, api, openSocket, startHub, tempDir, type TestClient, type TestHub } from '../helpers/hub.js';
import { errorBody, rawRequest, rawUpgrade } from '../helpers/raw-http.js';
import { logIn, newLink, openLink, SESSION_COOKIE as COOKIE } from '../helpers/sessions.js';
import { manualClock, startClockedHub, type ManualClock } from '../helpers/tasks.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const SPENT = 'This login link was already used or has expired. Run <code>switchboard open</code> for a new one.';
const ENDED = 'the browser session has expired or was ended; run `switchboard open` for a new login link';

const withCookie = (cookie: string, headers: Record<string, string> = {}) => ({ token: null, headers: { cookie, ...headers } });

describe('login links and browser sessions', () => {
  let hub: TestHub;
  let clock: ManualClock;
  const clients: TestClient[] = [];
  const track = (client: TestClient): TestClient => (clients.push(client), client);
  const start = async (settings = {}): Promise<TestHub> => {
    clock = manualClock(Date.parse('2026-11-22T10:00:00Z'));
    hub = await startClockedHub(settings, clock);
    return hub;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await hub.stop();
  });

  it('turns a login link into a session cookie exactly once: 303 to /, HttpOnly and SameSite=Strict for 30 days, no referrer', async () => {
    await start();
    const link = await api(hub, 'POST', '/api/login-links');
    const url = link.body['url'] as string;
    const first = await openLink(url);
    const again = await openLink(url);
    const unknown = await openLink(`${hub.http}/login?code=${'A'.repeat(43)}`);
    const missing = await openLink(`${hub.http}/login`);
    expect({ link, first: { ...first, cookie: COOKIE.test(first.cookie ?? '') } }).toEqual({
      link: {
        status: 201,
        body: {
          status: 'ok',
          url: expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1:${hub.port}/login\\?code=[\\w-]{43}$`)),
          expires_at: new Date(clock.now() + 10 * MINUTE).toISOString(),
        },
      },
      first: { status: 303, location: '/', cookie: true, referrer: 'no-referrer', text: '' },
    });
    expect([again, unknown, missing].map((o) => ({ status: o.status, cookie: o.cookie, referrer: o.referrer, says: o.text.includes(SPENT) }))).toEqual(
      [again, unknown, missing].map(() => ({ status: 401, cookie: null, referrer: 'no-referrer', says: true })),
    );
  });

  it('lets a login link expire after 10 minutes', async () => {
    await start();
    const late = await newLink(hub);
    const inTime = await newLink(hub);
    clock.advance(10 * MINUTE - 1);
    expect((await openLink(inTime)).status).toBe(303);
    clock.advance(1);
    expect((await openLink(late)).status).toBe(401);
  });

  it('makes the cookie stand for the person (admin, as "user") on every HTTP route, and lists the session as a token row', async () => {
    await start();
    const cookie = await logIn(hub);
    const session = await api(hub, 'GET', '/api/session', withCookie(cookie));
    const byToken = await api(hub, 'GET', '/api/session');
    const posted = await api(hub, 'POST', '/api/messages', { ...withCookie(cookie), body: { conversation_id: 'general', content: 'from the browser' } });
    const tokens = await api(hub, 'GET', '/api/tokens', withCookie(cookie));
    expect({
      session,
      byToken: byToken.body,
      sender: (posted.body['message'] as { sender: string }).sender,
      sessions: (tokens.body['tokens'] as { kind: string }[]).filter((t) => t.kind === 'session'),
    }).toEqual({
      session: { status: 200, body: { status: 'ok', agent: 'user', admin: true, via: 'cookie', hub: { version: HUB_VERSION } } },
      byToken: { status: 'ok', agent: 'user', admin: true, via: 'token', hub: { version: HUB_VERSION } },
      sender: 'user',
      sessions: [
        {
          id: expect.stringMatching(/^tok_/),
          agent: null,
          admin: true,
          label: 'browser session',
          kind: 'session',
          created_at: new Date(clock.now()).toISOString(),
          last_used_at: expect.any(String),
          revoked_at: null,
          expires_at: new Date(clock.now() + 30 * DAY).toISOString(),
        },
      ],
    });
  });

  it('lets a header token win over the cookie', async () => {
    await start();
    const cookie = await logIn(hub);
    const alice = await agentToken(hub, 'alice');
    const session = await api(hub, 'GET', '/api/session', { token: alice, headers: { cookie } });
    expect(session.body).toEqual({ status: 'ok', agent: 'alice', admin: false, via: 'token', hub: { version: HUB_VERSION } });
  });

  it('accepts a session secret only as the cookie, and a token only in a header', async () => {
    await start();
    const cookie = await logIn(hub);
    const secret = cookie.slice('switchboard_session='.length);
    const sessionAsBearer = await api(hub, 'GET', '/api/session', { token: secret });
    const tokenAsCookie = await api(hub, 'GET', '/api/session', withCookie(`switchboard_session=${hub.token}`));
    expect([sessionAsBearer, tokenAsCookie]).toEqual([
      { status: 401, body: errorBody('SB_ERR_AUTH', 'the token is wrong or was revoked') },
      { status: 401, body: errorBody('SB_ERR_AUTH', ENDED) },
    ]);
  });

  it('keeps a session across a hub restart, and ends it after 30 days', async () => {
    const dataDir = tempDir();
    await start({ dataDir });
    const cookie = await logIn(hub);
    await hub.stop();
    hub = await startClockedHub({ dataDir }, clock);
    const afterRestart = (await api(hub, 'GET', '/api/session', withCookie(cookie))).status;
    clock.advance(30 * DAY);
    const expired = await api(hub, 'GET', '/api/session', withCookie(cookie));
    expect({ afterRestart, expired }).toEqual({ afterRestart: 200, expired: { status: 401, body: errorBody('SB_ERR_AUTH', ENDED) } });
  });

  it('admits a WebSocket upgrade that carries the cookie at once, as the person, with no hello', async () => {
    await start();
    const cookie = await logIn(hub);
    const client = track(await openSocket(hub.wsUrl, { headers: { cookie }, origin: hub.http }));
    const welcome = await client.next('welcome');
    expect(welcome['agent']).toEqual({ id: 'user', admin: true });
  });

  it('logs out: revokes the session row, clears the cookie and closes the WebSocket the session opened', async () => {
    await start();
    const cookie = await logIn(hub);
    const client = track(await openSocket(hub.wsUrl, { headers: { cookie } }));
    await client.next('welcome');
    const response = await fetch(`${hub.http}/api/logout`, { method: 'POST', headers: { cookie } });
    const after = await api(hub, 'GET', '/api/session', withCookie(cookie));
    const sessions = ((await api(hub, 'GET', '/api/tokens')).body['tokens'] as { kind: string; revoked_at: string | null }[]).filter(
      (t) => t.kind === 'session',
    );
    expect({
      status: response.status,
      body: await response.json(),
      cleared: response.headers.get('set-cookie'),
      closed: await client.waitClosed(),
      after: after.status,
      revoked: sessions.map((t) => t.revoked_at),
    }).toEqual({
      status: 200,
      body: { status: 'ok', logged_out: true },
      cleared: 'switchboard_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0',
      closed: { code: 4001, reason: 'SB_ERR_AUTH: the browser session was ended (logout)' },
      after: 401,
      revoked: [new Date(clock.now()).toISOString()],
    });
  });

  it('refuses a logout without a session cookie, leaving the token alone', async () => {
    await start();
    const refused = await api(hub, 'POST', '/api/logout');
    expect([refused, (await api(hub, 'GET', '/api/session')).status]).toEqual([
      { status: 400, body: errorBody('SB_ERR_VALIDATION', 'logout ends a browser session (its cookie); revoke a token with DELETE /api/tokens/<id>') },
      200,
    ]);
  });

  it('ends a session revoked from the token list, and closes a stale cookie WebSocket with an error frame and 4001', async () => {
    await start();
    const cookie = await logIn(hub);
    const row = ((await api(hub, 'GET', '/api/tokens')).body['tokens'] as { id: string; kind: string }[]).find((t) => t.kind === 'session');
    await api(hub, 'DELETE', `/api/tokens/${row?.id ?? ''}`);
    const client = track(await openSocket(hub.wsUrl, { headers: { cookie } }));
    const error = await client.next('error');
    expect({ http: (await api(hub, 'GET', '/api/session', withCookie(cookie))).status, error, closed: await client.waitClosed() }).toEqual({
      http: 401,
      error: { type: 'error', code: 'SB_ERR_AUTH', message: ENDED },
      closed: { code: 4001, reason: expect.stringMatching(/^SB_ERR_AUTH: the browser session has expired/) },
    });
  });

  it('refuses cookie requests and upgrades from a foreign Origin', async () => {
    await start();
    const cookie = await logIn(hub);
    const headers = { host: `127.0.0.1:${hub.port}`, origin: 'http://evil.example', cookie };
    const results = [await rawRequest(hub.port, { method: 'POST', path: '/api/login-links', headers }), await rawUpgrade(hub.port, headers)];
    const refused = {
      status: 403,
      body: errorBody('SB_ERR_ORIGIN', 'requests from Origin "http://evil.example" are not allowed; add it to allowedOrigins to permit it'),
    };
    expect(results).toEqual([refused, refused]);
  });

  it('mints login links only for the admin, and audits sessions and spent links', async () => {
    hub = await startHub();
    const alice = await agentToken(hub, 'alice');
    const forbidden = await api(hub, 'POST', '/api/login-links', { token: alice });
    const url = await newLink(hub);
    await openLink(url);
    await openLink(url);
    const logs = (await api(hub, 'GET', '/api/relay/logs?limit=3')).body['logs'] as { kind: string; actor: string | null; subject: string | null }[];
    expect({ forbidden: forbidden.status, logs: logs.map((e) => [e.kind, e.actor, e.subject]) }).toEqual({
      forbidden: 403,
      logs: [
        ['token_created', 'user', expect.stringMatching(/^tok_/)],
        ['session_created', 'user', expect.stringMatching(/^tok_/)],
        ['auth_failure', null, 'login link'],
      ],
    });
  });
});
