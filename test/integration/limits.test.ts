/** Connection limits, waiting sockets, frame size, malformed floods, idle and heartbeat close, slow consumers and configuration checks. */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type HubSettings } from '../../electron/hub/config.js';
import { ConfigError } from '../../electron/common/config-error.js';
import { createHub } from '../../electron/hub/hub.js';
import type { Connection } from '../../electron/hub/ws/connection.js';
import { MAX_PENDING_CONNECTIONS } from '../../electron/hub/ws/connection-registry.js';
import { MAX_MALFORMED_IN_ROW } from '../../electron/hub/ws/router.js';
import { api, connectAgent, openSocket, startHub, tempDir, type Frame, type TestClient, type TestHub } from '../helpers/hub.js';
import { runCli } from '../helpers/cli-process.js';
import { publish } from '../helpers/messages.js';
import { eventually } from '../helpers/wait.js';

/** The hub side of an agent's connection, to look at what the hub is holding for it. */
function hubConnection(hub: TestHub, agent: string): Connection {
  const conn = [...hub.hub.services.connections.all()].find((c) => c.identity?.agent === agent);
  if (conn === undefined) throw new Error(`no connection for ${agent}`);
  return conn;
}

async function openConnections(hub: TestHub): Promise<number> {
  return (await api(hub, 'GET', '/api/health', { token: null })).body['connections'] as number;
}

describe('limits', () => {
  let hub: TestHub | undefined;
  const clients: TestClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await hub?.stop();
    hub = undefined;
  });
  const track = (client: TestClient): TestClient => (clients.push(client), client);

  it('refuses the 101st connection with an error frame and close code 1013 while the first 100 keep working', async () => {
    const h = (hub = await startHub());
    const auth = { headers: { authorization: `Bearer ${h.token}` } };
    const first = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const client = track(await openSocket(`${h.wsUrl}?agent=agent-${i}`, auth));
        await client.next('welcome');
        return client;
      }),
    );
    const extra = track(await openSocket(h.wsUrl, auth));
    const error = await extra.next('error');
    const closed = await extra.waitClosed();
    const pongs = await Promise.all(first.map(async (c) => (await c.request({ type: 'ping' })).type));
    const stillOpen = await openConnections(h);
    // A freed slot is given to the next client.
    await first[0]?.close();
    await eventually(async () => ((await openConnections(h)) === 99 ? true : undefined), 'the hub to see the closed connection');
    const next = track(await openSocket(h.wsUrl, auth));
    const welcome = await next.next((f) => f.type === 'welcome' || f.type === 'error');
    expect({ error, closed, pongs: new Set(pongs), stillOpen, extraFrames: extra.frames.length, welcome: welcome.type }).toEqual({
      error: { type: 'error', code: 'SB_ERR_TOO_MANY_CONNECTIONS', message: 'the hub allows 100 connections at once; try again later' },
      closed: { code: 1013, reason: 'SB_ERR_TOO_MANY_CONNECTIONS: the hub allows 100 connections at once; try again later' },
      pongs: new Set(['pong']),
      stillOpen: 100,
      extraFrames: 1,
      welcome: 'welcome',
    });
  });

  it('applies a smaller maxConnections setting to authenticated connections only, leaving sockets that have not said hello open', async () => {
    const h = (hub = await startHub({ maxConnections: 3, helloTimeoutMs: 60_000 }));
    const waiting = track(await openSocket(h.wsUrl));
    track(await connectAgent(h, 'a'));
    track(await connectAgent(h, 'b'));
    track(await connectAgent(h, 'c'));
    const extra = track(await openSocket(h.wsUrl));
    const refused = await extra.request({ type: 'hello', token: h.token, agent: 'd' });
    expect({ refused, closed: (await extra.waitClosed()).code, waiting: { open: waiting.closed, frames: waiting.frames } }).toEqual({
      refused: { type: 'error', re: expect.any(String), code: 'SB_ERR_TOO_MANY_CONNECTIONS', message: 'the hub allows 3 connections at once; try again later' },
      closed: 1013,
      waiting: { open: undefined, frames: [] },
    });
  });

  it(`lets agents in while ${MAX_PENDING_CONNECTIONS} sockets that never say hello are held open, closing the oldest waiting socket when one more arrives`, async () => {
    const h = (hub = await startHub({ helloTimeoutMs: 60_000 }));
    const held: TestClient[] = [];
    for (let i = 0; i < MAX_PENDING_CONNECTIONS; i++) held.push(track(await openSocket(h.wsUrl)));
    const withHeader = track(await openSocket(h.wsUrl, { headers: { authorization: `Bearer ${h.token}`, 'x-agent-name': 'header-agent' } }));
    const headerWelcome = await withHeader.next('welcome');
    const stillHeld = held.filter((c) => c.closed === undefined).length;
    const oneMore = track(await openSocket(h.wsUrl));
    const oldest = { error: await held[0]?.next('error'), closed: await held[0]?.waitClosed() };
    const withHello = track(await connectAgent(h, 'hello-agent'));
    const secondOldest = await held[1]?.waitClosed();
    const pongs = [(await withHeader.request({ type: 'ping' })).type, (await withHello.request({ type: 'ping' })).type];
    const reason = `${MAX_PENDING_CONNECTIONS} connections were waiting to say hello; the oldest was closed to make room`;
    expect({
      headerWelcome: headerWelcome['agent'],
      stillHeld,
      oldest,
      secondOldest: secondOldest?.code,
      pongs,
      open: [...held, oneMore].filter((c) => c.closed === undefined).length,
      waiting: h.hub.services.connections.pending(),
    }).toEqual({
      headerWelcome: { id: 'header-agent', admin: true },
      stillHeld: MAX_PENDING_CONNECTIONS,
      oldest: {
        error: { type: 'error', code: 'SB_ERR_TOO_MANY_CONNECTIONS', message: reason },
        closed: { code: 1013, reason: `SB_ERR_TOO_MANY_CONNECTIONS: ${reason}` },
      },
      secondOldest: 1013,
      pongs: ['pong', 'pong'],
      open: MAX_PENDING_CONNECTIONS - 1,
      waiting: MAX_PENDING_CONNECTIONS - 1,
    });
  });

  it('closes a connection that sends a 2 MiB frame with code 1009, and other clients keep working', async () => {
    const h = (hub = await startHub());
    const big = track(await connectAgent(h, 'big'));
    const sender = track(await connectAgent(h, 'sender'));
    const listener = track(await connectAgent(h, 'listener'));
    await listener.request({ type: 'subscribe', conversations: ['general'] });
    const nearLimit = await big.request({ type: 'send_message', conversation_id: 'general', content: 'n'.repeat(1000 * 1000) });
    big.send({ type: 'send_message', conversation_id: 'general', content: 'x'.repeat(2 * 1024 * 1024) });
    const closed = await big.waitClosed();
    const ack = await sender.request({ type: 'send_message', conversation_id: 'general', content: 'after the big one' });
    await listener.next((f) => f.type === 'new_message' && f['content'] === 'after the big one');
    const delivered = listener.frames.filter((f) => f.type === 'new_message').map((f) => `${String(f['sender'])}: ${String(f['content']).length}`);
    expect({ nearLimit: nearLimit.type, closed: closed.code, ack: ack.type, delivered }).toEqual({
      nearLimit: 'ack',
      closed: 1009,
      ack: 'ack',
      delivered: [`big: ${1000 * 1000}`, `sender: ${'after the big one'.length}`],
    });
  });

  it('answers each of 10,000 malformed frames with the right error code while another client sends and receives normally, as long as a good frame comes every so often', async () => {
    const h = (hub = await startHub());
    const flood = track(await connectAgent(h, 'flood'));
    const steady = track(await connectAgent(h, 'steady'));
    const listener = track(await connectAgent(h, 'listener'));
    await listener.request({ type: 'subscribe', conversations: ['general'] });
    const kinds: [string | Buffer, string, boolean][] = [
      ['this is not json', 'SB_ERR_BAD_JSON', false],
      ['{"type":"send_message",', 'SB_ERR_BAD_JSON', false],
      ['[1,2,3]', 'SB_ERR_BAD_FRAME', false],
      ['42', 'SB_ERR_BAD_FRAME', false],
      ['null', 'SB_ERR_BAD_FRAME', false],
      ['{"type":7}', 'SB_ERR_BAD_FRAME', false],
      [Buffer.from('{"type":"ping"}'), 'SB_ERR_BAD_FRAME', false],
      ['{"type":"no_such_type","id":"ID"}', 'SB_ERR_UNKNOWN_TYPE', true],
      ['{"type":"send_message","id":"ID","conversation_id":"general"}', 'SB_ERR_VALIDATION', true],
      ['{"type":"send_message","id":"ID","conversation_id":"general","to":"bob","content":"both"}', 'SB_ERR_VALIDATION', true],
      ['{"type":"subscribe","id":"ID","since":-1}', 'SB_ERR_VALIDATION', true],
      ['{"type":"hello","id":"ID","token":""}', 'SB_ERR_VALIDATION', true],
      [`{"type":"send_message","id":"ID","payload":${'['.repeat(100)}${']'.repeat(100)}}`, 'SB_ERR_VALIDATION', false],
    ];
    const expected: { code: string; re?: string }[] = [];
    const steadyRun = (async () => {
      const acks: string[] = [];
      for (let i = 0; i < 200; i++) acks.push((await steady.request({ type: 'send_message', conversation_id: 'general', content: `steady ${i}` })).type);
      return acks;
    })();
    let good = 0;
    for (let i = 0; i < 10_000; i++) {
      // A good frame now and then: fewer than MAX_MALFORMED_IN_ROW malformed ones in a row never close the connection.
      if (i % 50 === 49) flood.socket.send(`{"type":"ping","id":"good${good++}"}`);
      const [frame, code, hasId] = kinds[i % kinds.length] as [string | Buffer, string, boolean];
      const id = `m${i}`;
      flood.socket.send(typeof frame === 'string' ? frame.replace('ID', id) : frame);
      expected.push(hasId ? { code, re: id } : { code });
    }
    const [acks, pong] = await Promise.all([steadyRun, flood.request({ type: 'ping' }, 15_000)]);
    await listener.next((f) => f['content'] === 'steady 199');
    const pongs = flood.frames.filter((f) => f.type === 'pong' && String(f['re']).startsWith('good')).length;
    const errors = flood.frames.filter((f) => f.type === 'error').map((f) => (f['re'] === undefined ? { code: f['code'] } : { code: f['code'], re: f['re'] }));
    const received = listener.frames.filter((f) => f.type === 'new_message').map((f) => f['content']);
    const stored = await api(h, 'GET', '/api/conversations/general/messages?since=0&limit=1000');
    expect({
      errors,
      pong: pong.type,
      pongs,
      floodOpen: flood.closed,
      acks: new Set(acks),
      received,
      stored: (stored.body['messages'] as { sender: string }[]).map((m) => m.sender),
    }).toEqual({
      errors: expected,
      pong: 'pong',
      pongs: good,
      floodOpen: undefined,
      acks: new Set(['ack']),
      received: Array.from({ length: 200 }, (_, i) => `steady ${i}`),
      stored: Array.from({ length: 200 }, () => 'steady'),
    });
  });

  it(`closes a connection that floods ${MAX_MALFORMED_IN_ROW} malformed or deeply nested frames in a row with 1008 SB_ERR_BAD_FRAME, while another agent's round trips keep succeeding`, async () => {
    const h = (hub = await startHub());
    const flood = track(await connectAgent(h, 'flood'));
    const steady = track(await connectAgent(h, 'steady'));
    const roundTrips = (async () => {
      const replies: string[] = [];
      for (let i = 0; i < 200; i++) replies.push((await steady.request({ type: 'send_message', conversation_id: 'general', content: `steady ${i}` })).type);
      return replies;
    })();
    const deep = `{"type":"send_message","conversation_id":"general","content":"x","payload":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    for (let i = 0; i < 10_000 && flood.closed === undefined; i++) {
      flood.socket.send(i % 2 === 0 ? deep : 'this is not json');
      if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
    }
    const closed = await flood.waitClosed();
    const replies = await roundTrips;
    const errors = flood.frames.filter((f) => f.type === 'error').map((f) => f['code']);
    const stored = await api(h, 'GET', '/api/conversations/general/messages?since=0&limit=1000');
    expect({
      closed,
      errors: { count: errors.length, last: flood.frames.at(-1) },
      replies: new Set(replies),
      stored: (stored.body['messages'] as unknown[]).length,
      steadyOpen: steady.closed,
    }).toEqual({
      closed: { code: 1008, reason: `SB_ERR_BAD_FRAME: ${MAX_MALFORMED_IN_ROW} malformed frames in a row; fix the client and reconnect` },
      errors: {
        count: MAX_MALFORMED_IN_ROW + 1,
        last: { type: 'error', code: 'SB_ERR_BAD_FRAME', message: `${MAX_MALFORMED_IN_ROW} malformed frames in a row; fix the client and reconnect` },
      },
      replies: new Set(['ack']),
      stored: 200,
      steadyOpen: undefined,
    });
  });

  it('closes a client that sends nothing with 1001 SB_ERR_IDLE after idleTimeoutMs', async () => {
    const h = (hub = await startHub({ heartbeatIntervalMs: 300, idleTimeoutMs: 400 }));
    const quiet = track(await openSocket(h.wsUrl, { headers: { authorization: `Bearer ${h.token}`, 'x-agent-name': 'quiet' }, autoPong: false }));
    expect({ error: await quiet.next((f) => f.type === 'error'), closed: (await quiet.waitClosed()).code }).toEqual({
      error: { type: 'error', code: 'SB_ERR_IDLE', message: 'nothing received for 400 ms' },
      closed: 1001,
    });
  });

  it('closes a client that stops answering pings with 1001 SB_ERR_HEARTBEAT_TIMEOUT after two missed pings, although it keeps sending frames, while clients that answer pings stay open', async () => {
    // Pings far enough apart that a client answering them is never late, even on a busy machine.
    const h = (hub = await startHub({ heartbeatIntervalMs: 500, idleTimeoutMs: 60_000 }));
    const auth = (agent: string): { headers: Record<string, string> } => ({ headers: { authorization: `Bearer ${h.token}`, 'x-agent-name': agent } });
    const deaf = track(await openSocket(h.wsUrl, { ...auth('deaf'), autoPong: false }));
    const ponging = track(await openSocket(h.wsUrl, auth('ponging')));
    let pings = 0;
    ponging.socket.on('ping', () => (pings += 1));
    const beat = setInterval(() => deaf.closed === undefined && deaf.send({ type: 'heartbeat', timestamp: Date.now() }), 50);
    try {
      const error = await deaf.next((f) => f.type === 'error');
      const closed = await deaf.waitClosed();
      const answered = deaf.frames.filter((f) => f.type === 'heartbeat_response').length;
      // Three pings more, each answered: the one that answers pings is still there.
      const pingsAtClose = pings;
      await eventually(() => (pings >= pingsAtClose + 3 ? true : undefined), 'three more pings', 10_000);
      expect({
        error,
        closed: closed.code,
        answeredBeforeClose: answered > 0,
        alive: (await ponging.request({ type: 'ping' })).type,
        other: ponging.closed,
      }).toEqual({
        error: { type: 'error', code: 'SB_ERR_HEARTBEAT_TIMEOUT', message: '2 pings in a row went unanswered (the hub pings every 500 ms)' },
        closed: 1001,
        answeredBeforeClose: true,
        alive: 'pong',
        other: undefined,
      });
    } finally {
      clearInterval(beat);
    }
  });

  it('never cuts off a subscriber that keeps reading, even when one burst delivers more than maxBufferedBytes to it', async () => {
    const h = (hub = await startHub({ maxBufferedBytes: 64 * 1024 }));
    const publisher = track(await connectAgent(h, 'publisher'));
    const reader = track(await connectAgent(h, 'reader'));
    await reader.request({ type: 'subscribe', conversations: ['burst'] });
    const content = 'b'.repeat(16 * 1024);
    // 40 messages of 16 KiB sent at once are stored in a batch or two, so they are delivered together.
    for (let i = 0; i < 40; i++) publisher.send({ type: 'send_message', id: `b${i}`, conversation_id: 'burst', content: `${i} ${content}` });
    const outcome = (client: TestClient, done: (f: Frame) => boolean): Promise<string> =>
      Promise.race([client.next(done).then(() => 'done'), client.waitClosed().then((c) => `closed ${c.code} ${c.reason}`)]);
    const [published, read] = await Promise.all([
      outcome(publisher, (f) => f['re'] === 'b39'),
      outcome(reader, (f) => f.type === 'new_message' && String(f['content']).startsWith('39 ')),
    ]);
    expect({
      published,
      read,
      acks: publisher.frames.filter((f) => f.type === 'ack').length,
      received: reader.frames.filter((f) => f.type === 'new_message').length,
      closed: [publisher.closed, reader.closed],
    }).toEqual({ published: 'done', read: 'done', acks: 40, received: 40, closed: [undefined, undefined] });
  });

  it('cuts off a subscriber that stops reading with 1008 SB_ERR_SLOW_CONSUMER instead of buffering without bound, and the publisher keeps going', async () => {
    const maxBufferedBytes = 64 * 1024;
    const h = (hub = await startHub({ maxBufferedBytes }));
    const publisher = track(await connectAgent(h, 'publisher'));
    const slow = track(await connectAgent(h, 'slow'));
    const fast = track(await connectAgent(h, 'fast'));
    await slow.request({ type: 'subscribe', conversations: ['flood'] });
    await fast.request({ type: 'subscribe', conversations: ['flood'] });
    const slowConn = hubConnection(h, 'slow');
    slow.socket.pause();
    const content = 'p'.repeat(16 * 1024);
    let sent = 0;
    const publish = async (count: number): Promise<string[]> => {
      const acks = [];
      for (let i = 0; i < count; i++) {
        publisher.send({ type: 'send_message', id: `p${sent}`, conversation_id: 'flood', content: `${sent} ${content}` });
        sent++;
      }
      for (let i = sent - count; i < sent; i++) acks.push((await publisher.next((f) => f['re'] === `p${i}`)).type);
      return acks;
    };
    const acks: string[] = [];
    while (slowConn.isOpen && sent < 4000) acks.push(...(await publish(20)));
    const heldForSlow = slowConn.socket.bufferedAmount;
    acks.push(...(await publish(50)));
    slow.socket.resume();
    const closed = await slow.waitClosed();
    await fast.next((f) => f.type === 'new_message' && String(f['content']).startsWith(`${sent - 1} `));
    const fastReceived = fast.frames.filter((f: Frame) => f.type === 'new_message').length;
    expect({
      cutOff: !slowConn.isOpen,
      heldWithinLimit: heldForSlow <= maxBufferedBytes + 2 * (content.length + 500),
      closed: { code: closed.code, reason: closed.reason.split(':')[0] },
      acks: { count: acks.length, types: new Set(acks) },
      fastReceived,
      publisherOpen: publisher.closed,
      connections: await eventually(async () => ((await openConnections(h)) === 2 ? 2 : undefined), 'the slow consumer to be gone'),
    }).toEqual({
      cutOff: true,
      heldWithinLimit: true,
      closed: { code: 1008, reason: 'SB_ERR_SLOW_CONSUMER' },
      acks: { count: sent, types: new Set(['ack']) },
      fastReceived: sent,
      publisherOpen: undefined,
      connections: 2,
    });
  });

  it('holds back a replay larger than maxBufferedBytes while its subscriber is not reading, instead of cutting it off, and sends all of it in order once it reads again', async () => {
    const maxBufferedBytes = 4 * 1024 * 1024;
    const h = (hub = await startHub({ maxBufferedBytes }));
    const publisher = track(await connectAgent(h, 'publisher'));
    const content = 'r'.repeat(1500);
    // About 24 MB of stored messages: far more than the hub may hold for one client.
    const count = 16_000;
    for (let i = 0; i < count; i += 1000) await publish(publisher, 'archive', 1000, (j) => `${i + j} ${content}`);
    const reader = track(await connectAgent(h, 'reader'));
    reader.socket.pause();
    reader.send({ type: 'subscribe', id: 'replay', conversations: ['archive'], since: 0 });
    const readerConn = hubConnection(h, 'reader');
    await eventually(() => (readerConn.socket.bufferedAmount > 1024 * 1024 ? true : undefined), 'the replay to back up behind the reader');
    reader.socket.resume();
    const caughtUp = await reader.next('caught_up', { timeoutMs: 15_000 });
    const replayed = reader.frames.filter((f) => f.type === 'new_message').map((f) => Number(String(f['content']).split(' ')[0]));
    expect({ open: readerConn.isOpen, replayed: caughtUp['replayed'], received: replayed.length, inOrder: replayed.every((n, i) => n === i) }).toEqual({
      open: true,
      replayed: count,
      received: count,
      inOrder: true,
    });
  });
});

describe('configuration', () => {
  const folders: string[] = [];
  const folder = (): string => {
    const dir = tempDir();
    folders.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses invalid settings in createHub with a ConfigError listing every problem, opening nothing', () => {
    const dataDir = join(folder(), 'never-created');
    const settings = {
      dataDir,
      port: 70000,
      host: ' ',
      maxConnections: 0,
      heartbeatIntervalMs: 'often',
      idleTimeoutMs: 1.5,
      maxFrameBytes: -1,
      maxBufferedBytes: 1000,
      allowedOrigins: 'http://app.example',
    } as unknown as HubSettings;
    let caught: unknown;
    try {
      createHub(settings);
    } catch (error) {
      caught = error;
    }
    expect({ isConfigError: caught instanceof ConfigError, problems: (caught as ConfigError).problems, created: existsSync(dataDir) }).toEqual({
      isConfigError: true,
      problems: [
        'port must be a whole number from 0 to 65535 (got 70000)',
        'maxConnections must be a whole number from 1 to 1000000 (got 0)',
        'heartbeatIntervalMs must be a whole number from 100 to 3600000 (got "often")',
        'idleTimeoutMs must be a whole number from 100 to 86400000 (got 1.5)',
        'maxFrameBytes must be a whole number from 1024 to 268435456 (got -1)',
        'maxBufferedBytes must be a whole number from 65536 to 4294967296 (got 1000)',
        'host must be an address such as 127.0.0.1',
        'allowedOrigins must be a list of strings',
      ],
      created: false,
    });
  });

  it('refuses an idle timeout that is not longer than the heartbeat interval', () => {
    expect(() => createHub({ dataDir: folder(), heartbeatIntervalMs: 1000, idleTimeoutMs: 1000 })).toThrow(
      new ConfigError(['idleTimeoutMs (1000) must be longer than heartbeatIntervalMs (1000), or live connections would be closed']),
    );
  });

  it('makes `switchboard serve` with bad flags and settings exit 1, printing every problem and starting nothing', async () => {
    const dataDir = folder();
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ maxConnections: -1, idleTimeoutMs: 50, allowedHosts: [1] }));
    const result = await runCli(['serve', '--port', 'abc', '--data-dir', dataDir]);
    const broken = join(folder(), 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'settings.json'), '{"port": 9000,');
    const unreadable = await runCli(['serve', '--data-dir', broken]);
    expect({
      result: { ...result, stdout: result.stdout },
      started: existsSync(join(dataDir, 'connection.json')),
      unreadable: { code: unreadable.code, stderr: unreadable.stderr.includes(`${join(broken, 'settings.json')} is not a JSON object`) },
    }).toEqual({
      result: {
        code: 1,
        signal: null,
        stdout: '',
        stderr: [
          'Invalid configuration:',
          '  - port must be a whole number from 0 to 65535 (got "abc")',
          '  - maxConnections must be a whole number from 1 to 1000000 (got -1)',
          '  - idleTimeoutMs must be a whole number from 100 to 86400000 (got 50)',
          '  - allowedHosts must be a list of strings',
          '',
        ].join('\n'),
      },
      started: false,
      unreadable: { code: 1, stderr: true },
    });
  });
});
