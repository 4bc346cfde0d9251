/**
 * What a page in the person's browser cannot do with the session cookie: change things or open a WebSocket
 * when the browser says another site's page asked (Sec-Fetch-Site), name a foreign host in an absolute-form
 * target, or have an answer sniffed as another type.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { api, startHub, type TestHub } from '../helpers/hub.js';
import { errorBody, rawRequest, rawUpgrade } from '../helpers/raw-http.js';
import { logIn } from '../helpers/sessions.js';

const SITES = ['cross-site', 'same-site', 'same-origin', 'none', undefined] as const;
const foreign = (site: string | undefined): boolean => site === 'cross-site' || site === 'same-site';
const refusal = (site: string) => ({
  status: 403,
  body: errorBody(
    'SB_ERR_ORIGIN',
    `the browser session may not be used by another site's page (Sec-Fetch-Site: ${site}); open the dashboard from the hub's own address`,
  ),
});

describe('the browser session and Sec-Fetch-Site', () => {
  let hub: TestHub;
  afterEach(async () => hub.stop());
  const own = (): string => `127.0.0.1:${hub.port}`;
  const fetchSite = (site: string | undefined): Record<string, string> => (site === undefined ? {} : { 'sec-fetch-site': site });

  it('refuses POST, PUT and DELETE with the session cookie from cross-site and same-site pages, with or without Origin, and stores nothing', async () => {
    hub = await startHub();
    const cookie = await logIn(hub);
    const origins: (string | undefined)[] = [undefined, `http://${own()}`];
    const results = [];
    const expected = [];
    for (const site of SITES) {
      for (const origin of origins) {
        const headers = { host: own(), cookie, 'content-type': 'application/json', ...fetchSite(site), ...(origin === undefined ? {} : { origin }) };
        const post = await rawRequest(hub.port, {
          method: 'POST',
          path: '/api/messages',
          headers,
          body: JSON.stringify({ conversation_id: 'general', content: `${site}` }),
        });
        const put = await rawRequest(hub.port, { method: 'PUT', path: '/api/settings', headers, body: '{}' });
        const del = await rawRequest(hub.port, { method: 'DELETE', path: '/api/tokens/tok_000000000000', headers });
        results.push({ site, origin, post: post.status, put: put.status, del: del.body });
        expected.push(
          foreign(site)
            ? { site, origin, post: 403, put: 403, del: refusal(site ?? '').body }
            : { site, origin, post: 201, put: 200, del: errorBody('SB_ERR_NOT_FOUND', 'no token "tok_000000000000"') },
        );
      }
    }
    const stored = await api(hub, 'GET', '/api/conversations/general/messages?since=0');
    expect(results).toEqual(expected);
    expect((stored.body['messages'] as { content: string }[]).map((m) => m.content)).toEqual([
      'same-origin',
      'same-origin',
      'none',
      'none',
      'undefined',
      'undefined',
    ]);
  });

  it('lets the session cookie read from any page, since another site cannot read the answer', async () => {
    hub = await startHub();
    const cookie = await logIn(hub);
    const statuses = [];
    for (const site of SITES)
      statuses.push((await rawRequest(hub.port, { path: '/api/session', headers: { host: own(), cookie, ...fetchSite(site) } })).status);
    expect(statuses).toEqual(SITES.map(() => 200));
  });

  it('refuses a WebSocket upgrade with the session cookie from cross-site and same-site pages, and opens the others', async () => {
    hub = await startHub();
    const cookie = await logIn(hub);
    const results = [];
    for (const site of SITES) results.push(await rawUpgrade(hub.port, { host: own(), cookie, ...fetchSite(site) }));
    expect(results).toEqual(SITES.map((site) => (foreign(site) ? refusal(site ?? '') : { status: 101, body: undefined })));
  });

  it('leaves requests with a token and no cookie alone, whatever Sec-Fetch-Site says', async () => {
    hub = await startHub();
    const headers = { host: own(), authorization: `Bearer ${hub.token}`, 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' };
    const post = await rawRequest(hub.port, {
      method: 'POST',
      path: '/api/messages',
      headers,
      body: JSON.stringify({ conversation_id: 'general', content: 'hi' }),
    });
    const upgrade = await rawUpgrade(hub.port, { host: own(), authorization: `Bearer ${hub.token}`, 'sec-fetch-site': 'cross-site' });
    expect({ post: post.status, upgrade: upgrade.status }).toEqual({ post: 201, upgrade: 101 });
  });
});

describe('absolute-form request targets', () => {
  let hub: TestHub;
  afterEach(async () => hub.stop());

  it('refuses a target naming another host with 421 SB_ERR_HOST though the Host header is the hub’s, and stores nothing', async () => {
    hub = await startHub();
    const host = `127.0.0.1:${hub.port}`;
    const auth = { host, authorization: `Bearer ${hub.token}`, 'content-type': 'application/json' };
    const health = await rawRequest(hub.port, { path: 'http://evil.example/api/health', headers: { host } });
    const other = await rawRequest(hub.port, { path: `http://127.0.0.1:${hub.port + 1}/api/health`, headers: { host } });
    const post = await rawRequest(hub.port, {
      method: 'POST',
      path: 'http://evil.example:8765/api/messages',
      headers: auth,
      body: JSON.stringify({ conversation_id: 'general', content: 'hi' }),
    });
    const upgrade = await rawUpgrade(hub.port, { host, authorization: `Bearer ${hub.token}` }, 'http://evil.example/ws');
    const userinfo = await rawRequest(hub.port, { path: `http://${host}@evil.example/api/health`, headers: { host } });
    const ownTarget = await rawRequest(hub.port, { path: `http://${host}/api/health`, headers: { host } });
    const stored = await api(hub, 'GET', '/api/conversations/general/messages?since=0');
    const refused = (name: string) => ({
      status: 421,
      body: errorBody('SB_ERR_HOST', `the request target names "${name}", which is not this hub's address (use ${host})`),
    });
    expect({ health, other, post, upgrade, userinfo, own: ownTarget.status, stored: stored.body['messages'] }).toEqual({
      health: refused('evil.example:80'),
      userinfo: refused('evil.example:80'),
      other: refused(`127.0.0.1:${hub.port + 1}`),
      post: refused('evil.example:8765'),
      upgrade: refused('evil.example:80'),
      own: 200,
      stored: [],
    });
  });
});

describe('content sniffing and the dashboard CSP', () => {
  let hub: TestHub;
  afterEach(async () => hub.stop());

  it('sends X-Content-Type-Options: nosniff on API answers, errors, metrics, the login redirect and pages', async () => {
    hub = await startHub();
    const auth = { authorization: `Bearer ${hub.token}` };
    const answers = await Promise.all([
      fetch(`${hub.http}/api/health`),
      fetch(`${hub.http}/api/conversations`, { headers: auth }),
      fetch(`${hub.http}/api/conversations`),
      fetch(`${hub.http}/api/nothing-here`, { headers: auth }),
      fetch(`${hub.http}/metrics`, { headers: auth }),
      fetch(`${hub.http}/login?code=unknown`, { redirect: 'manual' }),
    ]);
    const seen = answers.map((a) => ({ status: a.status, nosniff: a.headers.get('x-content-type-options') }));
    expect(seen).toEqual([200, 200, 401, 404, 200, 401].map((status) => ({ status, nosniff: 'nosniff' })));
  });

  it("forbids plugins in the hub's pages with object-src 'none'", async () => {
    hub = await startHub();
    const page = await fetch(`${hub.http}/login?code=unknown`);
    expect(page.headers.get('content-security-policy')).toContain("object-src 'none'");
  });
});
