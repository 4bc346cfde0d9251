/**
 * The desktop window's sign-in, through the bridge handlers main registers, against a real embedded hub:
 * the window gets a browser session of its own in its cookie jar (the jar is a recorder, since Electron
 * is not available here), never the admin token from connection.json, and no bridge call returns a secret.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readConnectionFile } from '../../electron/common/connection-file.js';
import { createBridgeHandlers } from '../../electron/shell/bridge-handlers.js';
import { createCliLink } from '../../electron/shell/cli-link.js';
import type { HubHost } from '../../electron/shell/hub-host.js';
import type { ShellPlatform } from '../../electron/shell/platform.js';
import { createTrayActions } from '../../electron/shell/tray-actions.js';
import { createWindowSession, type WindowSessionCookie } from '../../electron/shell/window-session.js';
import { testHost } from '../helpers/desktop.js';
import { openSocket, tempDir, type TestClient } from '../helpers/hub.js';
import { CLI } from '../helpers/cli-process.js';
import { openLink, SESSION_COOKIE } from '../helpers/sessions.js';

const hosts: HubHost[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(hosts.splice(0).map((h) => h.stop()));
});

/** A desktop that answers every dialog and records the rest. */
function quietPlatform(saveTo: string): ShellPlatform {
  let loginItem = false;
  return {
    showWindow: () => undefined,
    chooseBackupFile: async () => saveTo,
    chooseBackupToRestore: async () => undefined,
    confirm: async () => false,
    openFolder: async () => undefined,
    launchAtLogin: { get: () => loginItem, set: (on) => void (loginItem = on) },
    notify: () => undefined,
    ask: async () => 'dismissed',
    quit: () => undefined,
  };
}

/** A started host, the bridge handlers main would register for it, and the cookies they put in the window's jar. */
async function desktop() {
  const host = testHost();
  hosts.push(host);
  await host.start();
  const jar: WindowSessionCookie[] = [];
  const platform = quietPlatform(join(tempDir(), 'export.db'));
  const windowSession = createWindowSession({ services: () => host.hub()?.services });
  const handlers = createBridgeHandlers({
    host,
    platform,
    actions: createTrayActions({ host, platform }),
    windowSession,
    setCookie: async (cookie) => void jar.push(cookie),
    appVersion: () => '0.1.0',
    cliLink: createCliLink({ target: { kind: 'script', path: CLI }, platform: 'linux', home: tempDir(), env: { PATH: '' } }),
  });
  const adminToken = readConnectionFile(host.dataDir)?.token ?? '';
  return { host, handlers, windowSession, jar, adminToken, address: host.status().address ?? '' };
}

async function call(address: string, method: string, path: string, headers: Record<string, string>) {
  const response = await fetch(`${address}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(method === 'POST' ? { body: '{}' } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** What a secret may do when sent as the session cookie, and when sent where a token goes. */
async function rights(address: string, secret: string) {
  const cookie = { cookie: `switchboard_session=${secret}` };
  const bearer = { authorization: `Bearer ${secret}` };
  const asCookie = await call(address, 'GET', '/api/session', cookie);
  const cookieSocket = await openSocket(`${address.replace('http', 'ws')}/ws`, { headers: cookie });
  clients.push(cookieSocket);
  const plainSocket = await openSocket(`${address.replace('http', 'ws')}/ws`);
  clients.push(plainSocket);
  const hello = await plainSocket.request({ type: 'hello', token: secret, agent: 'user' });
  return {
    cookie: {
      session: asCookie.status === 200 ? { agent: asCookie.body['agent'], admin: asCookie.body['admin'], via: asCookie.body['via'] } : asCookie.status,
      tokenList: (await call(address, 'GET', '/api/tokens', cookie)).status,
      loginLinks: (await call(address, 'POST', '/api/login-links', cookie)).status,
      socket: (await cookieSocket.next((f) => f.type === 'welcome' || f.type === 'error')).type,
    },
    token: {
      agents: (await call(address, 'GET', '/api/agents', bearer)).status,
      hello: hello.type === 'error' ? hello['code'] : hello.type,
      mcp: (await call(address, 'POST', '/mcp', bearer)).status,
    },
  };
}

describe('the desktop window’s session', () => {
  it('signs the window in with an HttpOnly, SameSite=Strict cookie of its own for the hub’s address — not the admin token', async () => {
    const { handlers, jar, adminToken, address, host } = await desktop();
    expect(await handlers.signIn()).toBeUndefined();
    expect(jar).toEqual([
      { url: address, name: 'switchboard_session', value: expect.stringMatching(/^sb_[\w-]{43}$/), path: '/', httpOnly: true, sameSite: 'strict' },
    ]);
    expect(jar[0]?.value).not.toBe(adminToken);
    const rows = host
      .hub()
      ?.services.tokens.list()
      .filter((t) => t.label === 'desktop window');
    expect(rows?.map((t) => ({ kind: t.kind, admin: t.admin, revoked: t.revoked_at !== null }))).toEqual([{ kind: 'session', admin: true, revoked: false }]);
  });

  it('has exactly a browser session’s rights: the dashboard over the cookie, nothing where a token goes (header, hello, MCP)', async () => {
    const { handlers, jar, adminToken, address } = await desktop();
    await handlers.signIn();
    const link = await call(address, 'POST', '/api/login-links', { authorization: `Bearer ${adminToken}` });
    const browserSecret = SESSION_COOKIE.exec((await openLink(link.body['url'] as string)).cookie ?? '')?.[1] ?? '';
    const window = await rights(address, jar[0]?.value ?? '');
    expect(window).toEqual({
      cookie: { session: { agent: 'user', admin: true, via: 'cookie' }, tokenList: 200, loginLinks: 201, socket: 'welcome' },
      token: { agents: 401, hello: 'SB_ERR_AUTH', mcp: 401 },
    });
    expect(await rights(address, browserSecret)).toEqual(window);
  });

  it('keeps one session per window: signing in again (a reload, a new port) ends the previous one', async () => {
    const { handlers, jar, address } = await desktop();
    await handlers.signIn();
    await handlers.signIn();
    const [first, second] = jar.map((c) => ({ cookie: `switchboard_session=${c.value}` }));
    expect([(await call(address, 'GET', '/api/session', first ?? {})).status, (await call(address, 'GET', '/api/session', second ?? {})).status]).toEqual([
      401, 200,
    ]);
  });

  it('ends the session when the app quits, closing the window’s live link with SB_ERR_AUTH', async () => {
    const { handlers, jar, windowSession, address } = await desktop();
    await handlers.signIn();
    const cookie = { cookie: `switchboard_session=${jar[0]?.value ?? ''}` };
    const live = await openSocket(`${address.replace('http', 'ws')}/ws`, { headers: cookie });
    clients.push(live);
    await live.next('welcome');
    windowSession.end();
    expect({ closed: await live.waitClosed(), http: (await call(address, 'GET', '/api/session', cookie)).status }).toEqual({
      closed: { code: 4001, reason: 'SB_ERR_AUTH: the desktop app quit' },
      http: 401,
    });
  });

  it('survives a hub restart, and counts as lost once the hub no longer accepts it, so the window signs in again', async () => {
    const { host, handlers, jar, windowSession, adminToken } = await desktop();
    expect(windowSession.lost()).toBe(false);
    await handlers.signIn();
    await host.stop();
    await host.start();
    const address = host.status().address ?? '';
    const cookie = { cookie: `switchboard_session=${jar[0]?.value ?? ''}` };
    const afterRestart = { http: (await call(address, 'GET', '/api/session', cookie)).status, lost: windowSession.lost() };
    const row = host
      .hub()
      ?.services.tokens.list()
      .find((t) => t.label === 'desktop window');
    await call(address, 'DELETE', `/api/tokens/${row?.id ?? ''}`, { authorization: `Bearer ${adminToken}` });
    const revoked = windowSession.lost();
    await handlers.signIn();
    expect({ afterRestart, revoked, signedInAgain: windowSession.lost() }).toEqual({
      afterRestart: { http: 200, lost: false },
      revoked: true,
      signedInAgain: false,
    });
  });

  it('refuses to sign in while the hub is stopped', async () => {
    const { host, handlers, jar } = await desktop();
    await host.stop();
    await expect(handlers.signIn()).rejects.toThrow('the hub is not running');
    expect(jar).toEqual([]);
  });
});

describe('the bridge calls', () => {
  it('answer without the admin token or any session secret, whatever the window asks', async () => {
    const { handlers, jar, adminToken } = await desktop();
    const answers = [
      await handlers.signIn(),
      await handlers.exportBackup(),
      await handlers.openDataFolder(),
      await handlers.openLogsFolder(),
      await handlers.launchAtLogin(),
      await handlers.setLaunchAtLogin(true),
      await handlers.appVersion(),
      await handlers.cliTool(),
    ];
    expect(answers).toEqual([
      undefined,
      { file: expect.stringMatching(/export\.db$/), lastSeq: 0 },
      undefined,
      undefined,
      false,
      true,
      '0.1.0',
      expect.objectContaining({ installed: false }),
    ]);
    const said = JSON.stringify(answers);
    expect([said.includes(adminToken), said.includes(jar[0]?.value ?? 'no cookie'), said.includes('sb_')]).toEqual([false, false, false]);
  });
});
