/** Tokens over real sockets and HTTP: upgrade and hello, agent tokens, revocation, hashed storage, clean logs. */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { HUB_VERSION, PROTOCOL_VERSION } from '../../shared/index.js';
import { createLogger } from '../../electron/common/logger.js';
import { api, connectAgent, openSocket, startHub, tempDir, type TestClient, type TestHub } from '../helpers/hub.js';
import { errorBody, rawRequest, rawUpgrade } from '../helpers/raw-http.js';

/**
 * For the tests about the hello timeout: short, so waiting for it is quick, yet far longer than a frame
 * takes to arrive on a busy machine. The other tests keep the default, which they never come near.
 */
const HELLO_TIMEOUT = { helloTimeoutMs: 1000 };

/** A well-formed token that the hub never issued. */
const FORGED_TOKEN = 'sb_thisTokenWasNeverIssuedByTheHub0123456789abcdefghij';

interface CreatedToken {
  id: string;
  agent: string | null;
  admin: boolean;
  label: string | null;
  token: string;
}

async function createAgentToken(hub: TestHub, agent: string): Promise<CreatedToken> {
  const created = await api(hub, 'POST', '/api/tokens', { body: { agent, label: `${agent}'s token` } });
  if (created.status !== 201) throw new Error(`could not create a token: ${JSON.stringify(created)}`);
  return created.body['token'] as CreatedToken;
}

/** What a refused hello looks like to the client: the error frame and the close. */
async function refusal(client: TestClient): Promise<{ error: unknown; closed: unknown }> {
  const error = await client.next('error');
  const closed = await client.waitClosed();
  return { error: { code: error['code'], message: error['message'] }, closed: { code: closed.code, reason: closed.reason.split(':')[0] } };
}

describe('authentication', () => {
  let hub: TestHub;
  const clients: TestClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await hub.stop();
  });
  const track = (client: TestClient): TestClient => (clients.push(client), client);

  const expectedWelcome = (agent: string, admin: boolean): Record<string, unknown> => ({
    type: 'welcome',
    client_id: expect.stringMatching(/^c_\d+$/),
    agent: { id: agent, admin },
    hub: { version: HUB_VERSION, protocol: PROTOCOL_VERSION },
    limits: { max_connections: 100, max_frame_bytes: 1024 * 1024, heartbeat_interval_ms: 30_000, idle_timeout_ms: 300_000, max_batch_messages: 1000 },
    last_seq: 0,
  });

  it('welcomes an upgrade carrying the token as Authorization: Bearer with the agent id, hub version and limits', async () => {
    hub = await startHub();
    const named = track(await openSocket(hub.wsUrl, { headers: { authorization: `Bearer ${hub.token}`, 'x-agent-name': 'alice' } }));
    const unnamed = track(await openSocket(hub.wsUrl, { headers: { authorization: `Bearer ${hub.token}` } }));
    expect([await named.next('welcome'), await unnamed.next('welcome')]).toEqual([expectedWelcome('alice', true), expectedWelcome('user', true)]);
  });

  it('welcomes an upgrade carrying the token as X-Relay-API-Key', async () => {
    hub = await startHub();
    const client = track(await openSocket(`${hub.wsUrl}?agent=relay-bot`, { headers: { 'x-relay-api-key': hub.token } }));
    expect(await client.next('welcome')).toEqual(expectedWelcome('relay-bot', true));
    expect(await client.request({ type: 'ping', timestamp: 1 })).toMatchObject({ type: 'pong', timestamp: expect.any(Number) });
  });

  it('welcomes a hello with a valid token sent within the hello timeout, and refuses a second hello on it', async () => {
    hub = await startHub(HELLO_TIMEOUT);
    const client = track(await openSocket(hub.wsUrl));
    const welcome = await client.request({ type: 'hello', token: hub.token, agent: 'alice', display_name: 'Alice' });
    const again = await client.request({ type: 'hello', token: hub.token, agent: 'bob' });
    expect({ welcome, again }).toEqual({
      welcome: { ...expectedWelcome('alice', true), re: expect.any(String) },
      again: { type: 'error', re: expect.any(String), code: 'SB_ERR_CONFLICT', message: 'this connection is already authenticated as "alice"' },
    });
    // Still open once the hello timeout has passed: the timer, set at the upgrade, was cleared by the hello.
    await new Promise((resolve) => setTimeout(resolve, HELLO_TIMEOUT.helloTimeoutMs));
    expect(await client.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
  });

  it('refuses an upgrade with a wrong, empty or revoked token with HTTP 401 and a JSON error body', async () => {
    hub = await startHub();
    const revoked = await createAgentToken(hub, 'alice');
    expect((await api(hub, 'DELETE', `/api/tokens/${revoked.id}`)).body).toEqual({ status: 'ok', revoked: true });
    const host = { host: `127.0.0.1:${hub.port}` };
    const results = [
      await rawUpgrade(hub.port, { ...host, authorization: `Bearer ${FORGED_TOKEN}` }),
      await rawUpgrade(hub.port, { ...host, 'x-relay-api-key': 'not-a-token' }),
      await rawUpgrade(hub.port, { ...host, authorization: 'Bearer' }),
      await rawUpgrade(hub.port, { ...host, authorization: `Bearer ${revoked.token}` }),
    ];
    const refused = { status: 401, body: errorBody('SB_ERR_AUTH', 'the token is wrong or was revoked') };
    expect(results).toEqual([refused, refused, refused, refused]);
  });

  it('answers a hello with a wrong or revoked token with an SB_ERR_AUTH error frame, then closes with 4001', async () => {
    hub = await startHub();
    const revoked = await createAgentToken(hub, 'alice');
    await api(hub, 'DELETE', `/api/tokens/${revoked.id}`);
    const wrong = track(await openSocket(hub.wsUrl));
    wrong.send({ type: 'hello', token: FORGED_TOKEN, agent: 'alice' });
    const gone = track(await openSocket(hub.wsUrl));
    gone.send({ type: 'hello', token: revoked.token });
    const expected = { error: { code: 'SB_ERR_AUTH', message: 'the token is wrong or was revoked' }, closed: { code: 4001, reason: 'SB_ERR_AUTH' } };
    expect([await refusal(wrong), await refusal(gone)]).toEqual([expected, expected]);
  });

  it('answers a hello without a token with a validation error, then closes with 4001 when the hello timeout passes', async () => {
    hub = await startHub(HELLO_TIMEOUT);
    const client = track(await openSocket(hub.wsUrl));
    const error = await client.request({ type: 'hello', agent: 'alice' });
    const timeout = await client.next((f) => f.type === 'error' && f['code'] !== 'SB_ERR_VALIDATION');
    const closed = await client.waitClosed();
    expect({ error: error['code'], mentionsToken: String(error['message']).includes('token'), timeout: timeout['code'], closed: closed.code }).toEqual({
      error: 'SB_ERR_VALIDATION',
      mentionsToken: true,
      timeout: 'SB_ERR_AUTH_TIMEOUT',
      closed: 4001,
    });
  });

  it('closes a connection that sends no hello within helloTimeoutMs with SB_ERR_AUTH_TIMEOUT and code 4001', async () => {
    hub = await startHub(HELLO_TIMEOUT);
    const client = track(await openSocket(hub.wsUrl));
    expect(await refusal(client)).toEqual({
      error: { code: 'SB_ERR_AUTH_TIMEOUT', message: 'send {"type":"hello","token":"…"} within 1000 ms' },
      closed: { code: 4001, reason: 'SB_ERR_AUTH_TIMEOUT' },
    });
  });

  it('answers every frame sent before hello with SB_ERR_AUTH_REQUIRED, and serves them once hello succeeds', async () => {
    hub = await startHub();
    const client = track(await openSocket(hub.wsUrl));
    const before = [
      await client.request({ type: 'get_status' }),
      await client.request({ type: 'send_message', conversation_id: 'general', content: 'sneaky' }),
      await client.request({ type: 'subscribe', conversations: '*' }),
    ].map((f) => ({ type: f.type, code: f['code'] }));
    await client.request({ type: 'hello', token: hub.token, agent: 'alice' });
    const after = await client.request({ type: 'send_message', conversation_id: 'general', content: 'hello' });
    expect({ before, after: after.type, seq: (after['message'] as { seq: number }).seq }).toEqual({
      before: [
        { type: 'error', code: 'SB_ERR_AUTH_REQUIRED' },
        { type: 'error', code: 'SB_ERR_AUTH_REQUIRED' },
        { type: 'error', code: 'SB_ERR_AUTH_REQUIRED' },
      ],
      after: 'ack',
      seq: 1,
    });
  });

  it('shows an agent token once and lets it speak only as its own agent', async () => {
    hub = await startHub();
    const created = await createAgentToken(hub, 'alice');
    const listed = await api(hub, 'GET', '/api/tokens');
    const alice = track(await openSocket(hub.wsUrl));
    const welcome = await alice.request({ type: 'hello', token: created.token });
    const ack = await alice.request({ type: 'send_message', conversation_id: 'general', content: 'from alice' });
    const impostor = track(await openSocket(hub.wsUrl));
    impostor.send({ type: 'hello', token: created.token, agent: 'bob' });
    const upgradeAsBob = await rawUpgrade(hub.port, { host: `127.0.0.1:${hub.port}`, authorization: `Bearer ${created.token}`, 'x-agent-name': 'bob' });
    const httpAsBob = await api(hub, 'POST', '/api/messages', {
      token: created.token,
      headers: { 'x-agent-name': 'bob' },
      body: { conversation_id: 'general', content: 'x' },
    });
    const forbidden = 'this token belongs to agent "alice" and cannot act as "bob"';
    expect({
      created: { ...created, token: created.token.startsWith('sb_') && created.token.length > 40 },
      listed: listed.body,
      welcome: { agent: welcome['agent'] },
      sender: (ack['message'] as { sender: string }).sender,
      impostor: await refusal(impostor),
      upgradeAsBob,
      httpAsBob,
    }).toEqual({
      created: {
        id: expect.stringMatching(/^tok_/),
        agent: 'alice',
        admin: false,
        label: "alice's token",
        kind: 'token',
        created_at: expect.any(String),
        last_used_at: null,
        revoked_at: null,
        expires_at: null,
        token: true,
      },
      listed: {
        status: 'ok',
        tokens: [
          expect.objectContaining({ agent: null, admin: true, label: 'local admin (connection.json)' }),
          {
            id: created.id,
            agent: 'alice',
            admin: false,
            label: "alice's token",
            kind: 'token',
            created_at: expect.any(String),
            last_used_at: null,
            revoked_at: null,
            expires_at: null,
          },
        ],
      },
      welcome: { agent: { id: 'alice', admin: false } },
      sender: 'alice',
      impostor: { error: { code: 'SB_ERR_FORBIDDEN', message: forbidden }, closed: { code: 1008, reason: 'SB_ERR_FORBIDDEN' } },
      upgradeAsBob: { status: 403, body: errorBody('SB_ERR_FORBIDDEN', forbidden) },
      httpAsBob: { status: 403, body: errorBody('SB_ERR_FORBIDDEN', forbidden) },
    });
  });

  it('closes the live connections of a revoked token with 4001 and refuses the token afterwards, leaving other connections open', async () => {
    hub = await startHub();
    const created = await createAgentToken(hub, 'alice');
    const viaHello = track(await connectAgent(hub, 'alice', created.token));
    const viaUpgrade = track(await openSocket(hub.wsUrl, { headers: { authorization: `Bearer ${created.token}` } }));
    await viaUpgrade.next('welcome');
    const bystander = track(await connectAgent(hub, 'bob'));
    const revoke = await api(hub, 'DELETE', `/api/tokens/${created.id}`);
    const closed = [await refusal(viaHello), await refusal(viaUpgrade)];
    const again = await api(hub, 'DELETE', `/api/tokens/${created.id}`);
    const httpAfter = await api(hub, 'GET', '/api/agents', { token: created.token });
    const listed = ((await api(hub, 'GET', '/api/tokens')).body['tokens'] as { id: string; revoked_at: string | null }[]).find((t) => t.id === created.id);
    const revokedClosed = { error: { code: 'SB_ERR_AUTH', message: 'the token was revoked' }, closed: { code: 4001, reason: 'SB_ERR_AUTH' } };
    expect({
      revoke: revoke.body,
      closed,
      again: again.body,
      httpAfter,
      revokedAt: typeof listed?.revoked_at,
      bystander: (await bystander.request({ type: 'ping' })).type,
    }).toEqual({
      revoke: { status: 'ok', revoked: true },
      closed: [revokedClosed, revokedClosed],
      again: { status: 'ok', revoked: false },
      httpAfter: { status: 401, body: errorBody('SB_ERR_AUTH', 'the token is wrong or was revoked') },
      revokedAt: 'string',
      bystander: 'pong',
    });
  });

  it('ignores frames from a revoked connection that does not read its close frame', async () => {
    hub = await startHub();
    const created = await createAgentToken(hub, 'mallory');
    const mallory = track(await connectAgent(hub, 'mallory', created.token));
    const before = await mallory.request({ type: 'send_message', conversation_id: 'general', content: 'before revocation' });
    // Mallory stops reading, so her client never learns it was closed and keeps sending.
    mallory.socket.pause();
    await api(hub, 'DELETE', `/api/tokens/${created.id}`);
    for (let i = 0; i < 20; i++) mallory.send({ type: 'send_message', id: `late-${i}`, conversation_id: 'general', content: `after revocation ${i}` });
    // A frame from another client sent after Mallory's reaches the hub after hers.
    const witness = track(await connectAgent(hub, 'witness'));
    await witness.request({ type: 'send_message', conversation_id: 'general', content: 'witness' });
    mallory.socket.resume();
    await mallory.waitClosed();
    const read = await api(hub, 'GET', '/api/conversations/general/messages?since=0');
    const messages = read.body['messages'] as { sender: string; content: string }[];
    expect({ before: before.type, stored: messages.map((m) => `${m.sender}: ${m.content}`) }).toEqual({
      before: 'ack',
      stored: ['mallory: before revocation', 'witness: witness'],
    });
  });

  it('refuses token management to a non-admin token with 403, while the token still reads what it may', async () => {
    hub = await startHub();
    const created = await createAgentToken(hub, 'alice');
    const token = created.token;
    const needsAdmin = { status: 403, body: errorBody('SB_ERR_FORBIDDEN', 'this endpoint needs the admin token (from connection.json)') };
    const results = {
      list: await api(hub, 'GET', '/api/tokens', { token }),
      create: await api(hub, 'POST', '/api/tokens', { token, body: { agent: 'alice', admin: true } }),
      revoke: await api(hub, 'DELETE', `/api/tokens/${created.id}`, { token }),
      agents: (await api(hub, 'GET', '/api/agents', { token })).status,
    };
    expect(results).toEqual({ list: needsAdmin, create: needsAdmin, revoke: needsAdmin, agents: 200 });
    // The refused requests changed nothing: still two tokens, neither revoked.
    const tokens = (await api(hub, 'GET', '/api/tokens')).body['tokens'] as { revoked_at: string | null }[];
    expect(tokens.map((t) => t.revoked_at)).toEqual([null, null]);
  });

  it('stores only a hash of each token: no token string is in the tokens table or the database files', async () => {
    hub = await startHub();
    const created = await createAgentToken(hub, 'alice');
    track(await connectAgent(hub, 'alice', created.token));
    await api(hub, 'GET', '/api/agents', { token: FORGED_TOKEN });
    const secrets = [hub.token, created.token, FORGED_TOKEN];
    const db = new Database(join(hub.dataDir, 'switchboard.db'), { readonly: true });
    const rows = JSON.stringify(db.prepare('SELECT * FROM tokens').all());
    const events = JSON.stringify(db.prepare('SELECT * FROM events').all());
    db.close();
    const files = ['switchboard.db', 'switchboard.db-wal']
      .map((f) => join(hub.dataDir, f))
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f));
    expect({
      rows: rows.length > 100,
      inRows: secrets.filter((t) => rows.includes(t)),
      inEvents: secrets.filter((t) => events.includes(t)),
      inFiles: secrets.filter((t) => files.some((bytes) => bytes.includes(t))),
    }).toEqual({ rows: true, inRows: [], inEvents: [], inFiles: [] });
  });

  it('never writes a token to the log file, even when authentication fails', async () => {
    const logDir = tempDir('switchboard-log-');
    const file = join(logDir, 'hub.log');
    try {
      hub = await startHub({}, { logger: createLogger({ file, level: 'debug' }) });
      const created = await createAgentToken(hub, 'alice');
      const plainSecret = 'plain-secret-without-the-sb-prefix-0123456789';
      const host = { host: `127.0.0.1:${hub.port}` };
      await rawUpgrade(hub.port, { ...host, authorization: `Bearer ${FORGED_TOKEN}` });
      await rawUpgrade(hub.port, { ...host, 'x-relay-api-key': plainSecret });
      await rawUpgrade(hub.port, { ...host, authorization: `Bearer ${created.token}`, 'x-agent-name': 'bob' });
      await rawRequest(hub.port, { path: `/api/nowhere?token=${hub.token}`, headers: { ...host, authorization: `Bearer ${plainSecret}` } });
      await api(hub, 'GET', '/api/tokens', { token: created.token });
      await api(hub, 'GET', '/api/agents', { token: plainSecret });
      await api(hub, 'GET', '/api/agents', { token: null, headers: { 'x-relay-api-key': FORGED_TOKEN } });
      for (const token of [FORGED_TOKEN, plainSecret]) {
        const client = track(await openSocket(hub.wsUrl));
        client.send({ type: 'hello', token, agent: 'alice' });
        await client.waitClosed();
      }
      const impostor = track(await openSocket(hub.wsUrl));
      impostor.send({ type: 'hello', token: created.token, agent: 'bob' });
      await impostor.waitClosed();
      const noisy = track(await connectAgent(hub, 'alice', created.token));
      noisy.send(`{"type":"hello","token":"${hub.token}"`);
      noisy.send({ type: 'no_such_type', token: hub.token });
      noisy.send({ type: 'send_message', conversation_id: 'general', content: `my token is ${created.token}` });
      await noisy.request({ type: 'ping' });
      await api(hub, 'DELETE', `/api/tokens/${created.id}`);
      await noisy.waitClosed();
      const secrets = [hub.token, created.token, FORGED_TOKEN, plainSecret];
      await hub.stop();
      const log = readFileSync(file, 'utf8');
      expect({
        // One line for each kind of failure (what for, why) and source in a minute: upgrade, hello and HTTP here.
        failuresLogged: log.split('\n').filter((line) => line.includes('authentication failed')).length >= 3,
        leaked: secrets.filter((secret) => log.includes(secret)),
      }).toEqual({ failuresLogged: true, leaked: [] });
    } finally {
      rmSync(logDir, { recursive: true, force: true });
    }
  });
});
