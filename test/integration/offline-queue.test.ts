/** The offline queue: direct messages wait for an offline agent, in order, until it acknowledges them; a full queue leaves a receipt. */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../shared/index.js';
import type { LogLevel, Logger } from '../../electron/common/logger.js';
import { agentToken, api, connectAgent, openSocket, startHub, tempDir, useHub, type Frame, type TestClient, type TestHub } from '../helpers/hub.js';
import { storedMessage } from '../helpers/messages.js';

/** Sends direct messages one after another and resolves with their seqs. */
async function sendDirect(from: TestClient, to: string, contents: string[]): Promise<number[]> {
  const seqs: number[] = [];
  for (const content of contents) {
    const ack = await from.request({ type: 'send_message', to, content });
    if (ack.type !== 'ack') throw new Error(`send failed: ${JSON.stringify(ack)}`);
    seqs.push((ack['message'] as StoredMessage).seq);
  }
  return seqs;
}

/** Everything a connection received after `welcome`, up to the reply to a ping sent now (which comes after all of it). */
async function framesAfterWelcome(client: TestClient): Promise<Frame[]> {
  const pong = await client.request({ type: 'ping' });
  const start = client.frames.findIndex((f) => f.type === 'welcome') + 1;
  return client.frames.slice(start, client.frames.indexOf(pong));
}

/** A queued message as the agent receives it. */
function queued(sender: string, to: string, content: string, seq: number): Record<string, unknown> {
  const [a, b] = [sender, to].sort();
  return { type: 'new_message', queued: true, ...storedMessage({ seq, conversation_id: `dm:${a}:${b}`, sender, content }) };
}

async function queueDepths(hub: TestHub): Promise<Record<string, number>> {
  const agents = (await api(hub, 'GET', '/api/agents')).body['agents'] as { id: string; queue_depth: number }[];
  return Object.fromEntries(agents.map((a) => [a.id, a.queue_depth]));
}

describe('an agent that was offline', () => {
  const ctx = useHub();
  const { agent } = ctx;

  it('receives the direct messages sent while it was away, in order and marked queued, when it reconnects', async () => {
    await (await agent('bob')).close();
    const alice = await agent('alice');
    const seqs = await sendDirect(alice, 'bob', ['one', 'two', 'three']);
    expect(await queueDepths(ctx.hub)).toEqual({ alice: 0, bob: 3 });

    const bob = await agent('bob');
    expect(await framesAfterWelcome(bob)).toEqual([
      queued('alice', 'bob', 'one', seqs[0] as number),
      queued('alice', 'bob', 'two', seqs[1] as number),
      queued('alice', 'bob', 'three', seqs[2] as number),
    ]);
  });

  it('is not sent acknowledged entries again, and is sent the unacknowledged ones on every connection', async () => {
    const alice = await agent('alice');
    const seqs = await sendDirect(alice, 'bob', ['one', 'two', 'three']);

    const first = await agent('bob');
    expect((await framesAfterWelcome(first)).map((f) => f['seq'])).toEqual(seqs);
    expect(await first.request({ type: 'inbox_ack', up_to: seqs[1] })).toEqual({ type: 'ack', re: expect.any(String), remaining: 1 });
    await first.close();

    const second = await agent('bob');
    expect(await framesAfterWelcome(second)).toEqual([queued('alice', 'bob', 'three', seqs[2] as number)]);
    await second.close();

    const third = await agent('bob');
    expect(await framesAfterWelcome(third)).toEqual([queued('alice', 'bob', 'three', seqs[2] as number)]);
    expect(await third.request({ type: 'inbox_ack', up_to: seqs[2] })).toEqual({ type: 'ack', re: expect.any(String), remaining: 0 });
    await third.close();

    const fourth = await agent('bob');
    expect(await framesAfterWelcome(fourth)).toEqual([]);
    expect(await queueDepths(ctx.hub)).toEqual({ alice: 0, bob: 0 });
  });

  it('keeps the entries while a connection that has not acknowledged them is still open', async () => {
    const alice = await agent('alice');
    const seqs = await sendDirect(alice, 'bob', ['kept']);
    const first = await agent('bob');
    expect((await framesAfterWelcome(first)).map((f) => f['seq'])).toEqual(seqs);
    const second = await agent('bob');
    expect(await framesAfterWelcome(second)).toEqual([queued('alice', 'bob', 'kept', seqs[0] as number)]);
    expect(await queueDepths(ctx.hub)).toEqual({ alice: 0, bob: 1 });
  });

  it('answers an inbox_ack without up_to with a validation error', async () => {
    const bob = await agent('bob');
    expect(await bob.request({ type: 'inbox_ack' })).toMatchObject({ type: 'error', code: 'SB_ERR_VALIDATION', message: expect.stringContaining('up_to') });
  });
});

describe('a long queue', () => {
  const ctx = useHub({ offlineQueueCapacity: 5000 });
  const { agent } = ctx;

  it('gets each direct message sent while its queue is being delivered once, in seq order', async () => {
    // More than two pages (1000 each) of long messages are queued: the queue goes out over several turns.
    const alice = await agent('alice');
    const before = 2500;
    const padding = 'x'.repeat(500);
    const from = alice.frames.length;
    for (let i = 0; i < before; i++) alice.send({ type: 'send_message', id: `q${i}`, to: 'bob', content: `queued ${i} ${padding}` });
    await alice.next((f) => f['re'] === `q${before - 1}`, { from, timeoutMs: 15_000 });

    // Messages keep coming while bob connects and its queue drains: each goes into the queue or live, never both.
    const bob = ctx.track(await openSocket(ctx.hub.wsUrl));
    bob.send({ type: 'hello', token: await agentToken(ctx.hub, 'bob'), agent: 'bob' });
    const after = 100;
    for (let i = 0; i < after; i++) {
      alice.send({ type: 'send_message', to: 'bob', content: `during ${i}` });
      await new Promise((resolve) => setImmediate(resolve));
    }
    await bob.next((f) => f['content'] === `during ${after - 1}`, { timeoutMs: 15_000 });

    const got = bob.frames.filter((f) => f.type === 'new_message');
    const seqs = got.map((f) => f['seq'] as number);
    expect(got.length).toBe(before + after);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(got.slice(0, before).every((f) => f['queued'] === true)).toBe(true);
  });
});

describe('what is not queued', () => {
  const ctx = useHub();
  const { agent } = ctx;

  it('delivers a direct message to an agent that is online live, and does not queue it', async () => {
    const bob = await agent('bob');
    const alice = await agent('alice');
    const [seq = 0] = await sendDirect(alice, 'bob', ['hello']);
    const live = await bob.next('new_message');
    expect(live).toEqual({ type: 'new_message', ...storedMessage({ seq, conversation_id: 'dm:alice:bob', sender: 'alice', content: 'hello' }) });
    expect(await queueDepths(ctx.hub)).toEqual({ alice: 0, bob: 0 });
    await bob.close();
    expect(await framesAfterWelcome(await agent('bob'))).toEqual([]);
  });

  it('never queues a message to a channel, open or members-only', async () => {
    await (await agent('bob')).close();
    const alice = await agent('alice');
    await alice.request({ type: 'create_conversation', conversation_id: 'team', members: ['bob'] });
    await alice.request({ type: 'send_message', conversation_id: 'team', content: 'members only' });
    await alice.request({ type: 'send_message', conversation_id: 'general', content: 'for everyone' });
    expect(await queueDepths(ctx.hub)).toEqual({ alice: 0, bob: 0 });
    expect(await framesAfterWelcome(await agent('bob'))).toEqual([]);
    expect((await api(ctx.hub, 'GET', '/ws/status')).body['offline_queue'] as Record<string, number>).toEqual({ queued: 0, enqueued: 0, dropped: 0 });
  });
});

describe('a full queue', () => {
  const ctx = useHub({ offlineQueueCapacity: 5 });
  const { agent } = ctx;

  it('drops the oldest entries and first sends the agent a receipt naming exactly what it missed', async () => {
    const alice = await agent('alice');
    const contents = Array.from({ length: 8 }, (_, i) => `m${i + 1}`);
    const seqs = await sendDirect(alice, 'bob', contents);

    const bob = await agent('bob');
    const frames = await framesAfterWelcome(bob);
    expect(frames[0]).toEqual({ type: 'gap', dropped: 3, from_seq: seqs[0], to_seq: seqs[2], reason: 'capacity' });
    expect(frames.slice(1)).toEqual(contents.slice(3).map((content, i) => queued('alice', 'bob', content, seqs[i + 3] as number)));
  });

  it('records each drop as an event and counts the drops in /ws/status', async () => {
    const alice = await agent('alice');
    const seqs = await sendDirect(
      alice,
      'bob',
      Array.from({ length: 8 }, (_, i) => `m${i + 1}`),
    );

    const logs = (await api(ctx.hub, 'GET', '/api/relay/logs?limit=1000')).body['logs'] as Record<string, unknown>[];
    expect(logs.filter((entry) => entry['kind'] === 'offline_queue_drop')).toEqual(
      [0, 1, 2].map((i) => ({
        ts: expect.any(String),
        id: expect.any(String),
        source: 'event',
        kind: 'offline_queue_drop',
        actor: 'alice',
        subject: 'bob',
        dropped: 1,
        from_seq: seqs[i],
        to_seq: seqs[i],
        reason: 'capacity',
        capacity: 5,
      })),
    );
    const status = await api(ctx.hub, 'GET', '/ws/status');
    expect(status.body['offline_queue']).toEqual({ queued: 5, enqueued: 8, dropped: 3 });
  });

  it('sends the receipt again until it is acknowledged, and not after', async () => {
    const alice = await agent('alice');
    const seqs = await sendDirect(
      alice,
      'bob',
      Array.from({ length: 6 }, (_, i) => `m${i + 1}`),
    );
    const receipt = { type: 'gap', dropped: 1, from_seq: seqs[0], to_seq: seqs[0], reason: 'capacity' };

    const first = await agent('bob');
    expect((await framesAfterWelcome(first))[0]).toEqual(receipt);
    await first.close();
    const second = await agent('bob');
    expect((await framesAfterWelcome(second))[0]).toEqual(receipt);
    expect(await second.request({ type: 'inbox_ack', up_to: seqs[5] })).toEqual({ type: 'ack', re: expect.any(String), remaining: 0 });
    await second.close();
    expect(await framesAfterWelcome(await agent('bob'))).toEqual([]);
  });

  it('warns once for drops in quick succession, with the agent and the count', async () => {
    const warnings: { message: string; fields: Record<string, unknown> | undefined }[] = [];
    const record = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
      if (level === 'warn') warnings.push({ message, fields });
    };
    const logger: Logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
    const hub = await startHub({ offlineQueueCapacity: 5 }, { logger });
    try {
      const alice = await connectAgent(hub, 'alice');
      const seqs = await sendDirect(
        alice,
        'bob',
        Array.from({ length: 8 }, (_, i) => `m${i + 1}`),
      );
      await alice.close();
      expect(warnings).toEqual([
        {
          message: 'offline queue full: dropped the oldest direct messages',
          fields: { agent: 'bob', dropped: 1, gap: { dropped: 1, from_seq: seqs[0], to_seq: seqs[0] }, capacity: 5 },
        },
      ]);
    } finally {
      await hub.stop();
    }
  });
});

describe('across a restart', () => {
  it('keeps the queue and the receipt when the hub stops and starts again on the same data folder', async () => {
    const dataDir = tempDir();
    try {
      const before = await startHub({ dataDir, offlineQueueCapacity: 2 });
      const alice = await connectAgent(before, 'alice');
      const seqs = await sendDirect(alice, 'bob', ['m1', 'm2', 'm3']);
      await alice.close();
      await before.stop();

      const after = await startHub({ dataDir, offlineQueueCapacity: 2 });
      try {
        const bob = await connectAgent(after, 'bob');
        expect(await framesAfterWelcome(bob)).toEqual([
          { type: 'gap', dropped: 1, from_seq: seqs[0], to_seq: seqs[0], reason: 'capacity' },
          queued('alice', 'bob', 'm2', seqs[1] as number),
          queued('alice', 'bob', 'm3', seqs[2] as number),
        ]);
        await bob.close();
      } finally {
        await after.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
