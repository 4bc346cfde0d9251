/** Host and Origin checks, public and token-only endpoints, and the loopback-only default bind. */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, openSocket, startHub, type TestHub } from '../helpers/hub.js';
import { errorBody, rawRequest, rawUpgrade } from '../helpers/raw-http.js';

/** Resolves with the outcome of a TCP connect: 'connected' or the error code. */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => (socket.destroy(), resolve('connected')));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('HTTP and upgrade security', () => {
  let hub: TestHub;
  afterEach(async () => hub.stop());

  const own = (): string => `127.0.0.1:${hub.port}`;
  const auth = (): Record<string, string> => ({ authorization: `Bearer ${hub.token}` });

  it('refuses HTTP requests whose Host is not the hub address with 421 SB_ERR_HOST, token or not', async () => {
    hub = await startHub();
    const hosts = [`evil.example:${hub.port}`, `127.0.0.1.evil.example:${hub.port}`, '127.0.0.1', `127.0.0.1:${hub.port + 1}`];
    const results = [];
    for (const host of hosts) {
      results.push(await rawRequest(hub.port, { path: '/api/conversations', headers: { host, ...auth() } }));
      results.push(await rawRequest(hub.port, { path: '/api/health', headers: { host } }));
    }
    expect(results).toEqual(
      hosts.flatMap((host) => {
        const refused = { status: 421, body: errorBody('SB_ERR_HOST', `Host "${host}" is not this hub's address (use 127.0.0.1:${hub.port})`) };
        return [refused, refused];
      }),
    );
  });

  it('refuses WebSocket upgrades whose Host is not the hub address with 421 SB_ERR_HOST, before looking at the token', async () => {
    hub = await startHub();
    const results = [
      await rawUpgrade(hub.port, { host: `evil.example:${hub.port}`, ...auth() }),
      await rawUpgrade(hub.port, { host: `evil.example:${hub.port}` }),
      await rawUpgrade(hub.port, { host: `evil.example:${hub.port}`, origin: 'http://evil.example' }),
    ];
    const refused = { status: 421, body: errorBody('SB_ERR_HOST', `Host "evil.example:${hub.port}" is not this hub's address (use 127.0.0.1:${hub.port})`) };
    expect(results).toEqual([refused, refused, refused]);
  });

  it('refuses HTTP requests and WebSocket upgrades from a foreign Origin with 403 SB_ERR_ORIGIN', async () => {
    hub = await startHub();
    const origins = [
      'http://evil.example',
      'null',
      `http://127.0.0.1:${hub.port + 1}`,
      `https://127.0.0.1:${hub.port}`,
      `http://127.0.0.1:${hub.port}.evil.example`,
    ];
    const results = [];
    for (const origin of origins) {
      results.push(await rawRequest(hub.port, { path: '/api/conversations', headers: { host: own(), origin, ...auth() } }));
      results.push(await rawRequest(hub.port, { path: '/api/health', headers: { host: own(), origin } }));
      results.push(await rawUpgrade(hub.port, { host: own(), origin, ...auth() }));
    }
    expect(results).toEqual(
      origins.flatMap((origin) => {
        const refused = {
          status: 403,
          body: errorBody('SB_ERR_ORIGIN', `requests from Origin "${origin}" are not allowed; add it to allowedOrigins to permit it`),
        };
        return [refused, refused, refused];
      }),
    );
  });

  it("serves the hub's own origins and host names, 127.0.0.1 and localhost, over HTTP and WebSocket", async () => {
    hub = await startHub();
    const results = [];
    for (const name of ['127.0.0.1', 'localhost']) {
      const host = `${name}:${hub.port}`;
      const origin = `http://${name}:${hub.port}`;
      results.push((await rawRequest(hub.port, { path: '/api/conversations', headers: { host, origin, ...auth() } })).status);
      results.push((await rawRequest(hub.port, { path: '/api/conversations', headers: { host: host.toUpperCase(), ...auth() } })).status);
      results.push((await rawUpgrade(hub.port, { host, origin, ...auth() })).status);
    }
    const client = await openSocket(hub.wsUrl, { origin: `http://127.0.0.1:${hub.port}`, headers: auth() });
    const welcome = await client.next('welcome');
    await client.close();
    expect({ results, welcome: welcome.type }).toEqual({ results: [200, 200, 101, 200, 200, 101], welcome: 'welcome' });
  });

  it('lets in an Origin listed in allowedOrigins and a Host listed in allowedHosts, and still refuses the others', async () => {
    hub = await startHub({ allowedOrigins: ['http://app.example:3000'], allowedHosts: ['switchboard.internal:8765'] });
    const client = await openSocket(hub.wsUrl, { origin: 'http://app.example:3000', headers: auth() });
    const welcome = await client.next('welcome');
    await client.close();
    const results = {
      http: (await rawRequest(hub.port, { path: '/api/conversations', headers: { host: own(), origin: 'http://app.example:3000', ...auth() } })).status,
      welcome: welcome.type,
      allowedHost: (await rawRequest(hub.port, { path: '/api/conversations', headers: { host: 'switchboard.internal:8765', ...auth() } })).status,
      otherOrigin: (await rawRequest(hub.port, { path: '/api/conversations', headers: { host: own(), origin: 'http://app.example:3001', ...auth() } })).status,
      otherUpgrade: (await rawUpgrade(hub.port, { host: own(), origin: 'http://evil.example', ...auth() })).status,
      otherHost: (await rawRequest(hub.port, { path: '/api/conversations', headers: { host: 'switchboard.internal:9999', ...auth() } })).status,
    };
    expect(results).toEqual({ http: 200, welcome: 'welcome', allowedHost: 200, otherOrigin: 403, otherUpgrade: 403, otherHost: 421 });
  });

  it('answers /api/health without a token', async () => {
    hub = await startHub();
    expect(await rawRequest(hub.port, { path: '/api/health', headers: { host: own() } })).toEqual({
      status: 200,
      body: { status: 'healthy', connections: 0, database: 'ok', timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
    });
  });

  it('refuses every other endpoint without a token with 401 SB_ERR_AUTH, and accepts the token as Bearer or X-Relay-API-Key', async () => {
    hub = await startHub();
    const endpoints: [string, string][] = [
      ['GET', '/api/conversations'],
      ['POST', '/api/conversations'],
      ['POST', '/api/messages'],
      ['GET', '/api/conversations/general/messages'],
      ['GET', '/api/agents'],
      ['GET', '/api/tokens'],
      ['POST', '/api/tokens'],
      ['DELETE', '/api/tokens/tok_123'],
      ['GET', '/ws/status'],
      ['GET', '/ws/handlers'],
    ];
    const missing = [];
    for (const [method, path] of endpoints) missing.push(await api(hub, method, path, { token: null }));
    const withKey = await api(hub, 'GET', '/ws/handlers', { token: null, headers: { 'x-relay-api-key': hub.token } });
    const withBearer = await api(hub, 'GET', '/ws/status');
    expect({ missing, withKey: withKey.status, withBearer: withBearer.status }).toEqual({
      missing: endpoints.map(() => ({ status: 401, body: errorBody('SB_ERR_AUTH', 'a token is required') })),
      withKey: 200,
      withBearer: 200,
    });
  });

  it('refuses an invalid agent name in X-Agent-Name over HTTP, as it does on the WebSocket upgrade', async () => {
    hub = await startHub();
    const names = ['', 'two words', '-leading-dash', 'x'.repeat(101)];
    const results = [];
    for (const name of names) {
      const http = await api(hub, 'POST', '/api/messages', { headers: { 'x-agent-name': name }, body: { conversation_id: 'general', content: 'hi' } });
      const upgrade = await rawUpgrade(hub.port, { host: own(), ...auth(), 'x-agent-name': name });
      results.push({ http: http.status, code: (http.body['error'] as { code?: string } | undefined)?.code, upgrade: upgrade.status });
    }
    const stored = await api(hub, 'GET', '/api/conversations/general/messages?since=0');
    expect({ results, stored: stored.body['messages'] }).toEqual({
      results: names.map(() => ({ http: 400, code: 'SB_ERR_VALIDATION', upgrade: 400 })),
      stored: [],
    });
  });

  it('refuses an HTTP body over maxFrameBytes with 413 SB_ERR_FRAME_TOO_LARGE and keeps serving', async () => {
    hub = await startHub({ maxFrameBytes: 64 * 1024 });
    const big = await api(hub, 'POST', '/api/messages', { body: { conversation_id: 'general', content: 'x'.repeat(100 * 1024) } });
    const small = await api(hub, 'POST', '/api/messages', { body: { conversation_id: 'general', content: 'fits' } });
    expect({ big, small: small.status }).toEqual({
      big: { status: 413, body: errorBody('SB_ERR_FRAME_TOO_LARGE', `the body is larger than ${64 * 1024} bytes`) },
      small: 201,
    });
  });

  it('binds 127.0.0.1 by default, so the machine’s other addresses refuse connections', async () => {
    hub = await startHub();
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
      .map((a) => a?.address ?? '');
    const connection = JSON.parse(readFileSync(join(hub.dataDir, 'connection.json'), 'utf8')) as { url: string; http: string };
    expect({
      host: hub.hub.config.host,
      url: connection.url,
      http: connection.http,
      loopback: await tryConnect('127.0.0.1', hub.port),
      others: await Promise.all(others.map((address) => tryConnect(address, hub.port))),
    }).toEqual({
      host: '127.0.0.1',
      url: `ws://127.0.0.1:${hub.port}/ws`,
      http: `http://127.0.0.1:${hub.port}`,
      loopback: 'connected',
      others: others.map(() => 'ECONNREFUSED'),
    });
  });
});
