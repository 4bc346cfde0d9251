/** The loop breaker on a real hub: two real agents echoing each other, a reply chain past the hop budget, normal traffic, a restart. */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ConversationInfo, StoredMessage } from '../../shared/index.js';
import { agentToken, api, connectAgent, startHub, tempDir, useHub, type Frame, type TestClient, type TestHub } from '../helpers/hub.js';
import { publish, storedMessages } from '../helpers/messages.js';
import { manualClock } from '../helpers/tasks.js';
import { eventually } from '../helpers/wait.js';

const DM = 'dm:alice:bob';

/**
 * Makes a connected agent answer every message `partner` sends in a conversation with a reply to it
 * (`in_reply_to`, unless `reply` is false), as two chatty LLM agents do, until it hears that the conversation was paused.
 */
function echo(client: TestClient, partner: string, { reply = true } = {}): void {
  let paused = false;
  client.socket.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString('utf8')) as Frame;
    if (frame.type === 'conversation_paused') paused = true;
    if (paused || frame.type !== 'new_message' || frame['sender'] !== partner) return;
    const seq = frame['seq'] as number;
    client.send({
      type: 'send_message',
      id: `echo-${seq}`,
      conversation_id: frame['conversation_id'],
      content: `echo of ${seq}`,
      ...(reply ? { in_reply_to: seq } : {}),
    });
  });
}

async function conversation(hub: TestHub, id: string): Promise<ConversationInfo | undefined> {
  const { body } = await api(hub, 'GET', '/api/conversations');
  return (body['conversations'] as ConversationInfo[]).find((c) => c.id === id);
}

async function eventKinds(hub: TestHub): Promise<{ kind: string; subject: string | null; actor: string | null }[]> {
  const { body } = await api(hub, 'GET', '/api/relay/logs?limit=1000');
  return (body['logs'] as { source: string; kind: string; subject: string | null; actor: string | null }[])
    .filter((e) => e.source === 'event' && e.kind.startsWith('conversation_'))
    .map(({ kind, subject, actor }) => ({ kind, subject, actor }));
}

/** Two agents (with their own tokens) echoing each other in their direct conversation until the hub pauses it. */
async function runEchoLoop(alice: TestClient, bob: TestClient): Promise<{ alicePaused: Frame; bobPaused: Frame }> {
  echo(alice, 'bob');
  echo(bob, 'alice');
  const first = await alice.request({ type: 'send_message', to: 'bob', content: 'hello bob' });
  expect(first.type).toBe('ack');
  const [alicePaused, bobPaused] = await Promise.all([alice.next('conversation_paused'), bob.next('conversation_paused')]);
  return { alicePaused, bobPaused };
}

describe('two agents answering each other', () => {
  const ctx = useHub({ loopMaxMessages: 10, loopWindowMs: 60_000 });

  it('are paused after the budget: both are told, the next sends are refused and nothing more is stored', async () => {
    const watcher = await ctx.admin('watcher');
    await watcher.request({ type: 'subscribe', conversations: '*' });
    const alice = await ctx.agent('alice');
    const bob = await ctx.agent('bob');
    const { alicePaused, bobPaused } = await runEchoLoop(alice, bob);

    const paused = {
      type: 'conversation_paused',
      conversation_id: DM,
      rule: 'rate',
      reason: expect.stringContaining('more than 10 messages alternated'),
      agents: ['alice', 'bob'],
    };
    expect(alicePaused).toEqual(paused);
    expect(bobPaused).toEqual(paused);
    expect(await watcher.next('conversation_paused')).toEqual(paused);

    // Exactly the budget was stored: ten alternating messages, each a reply to the one before.
    const stored = await storedMessages(ctx.hub, DM);
    expect(stored.map((m) => m.sender)).toEqual(['alice', 'bob', 'alice', 'bob', 'alice', 'bob', 'alice', 'bob', 'alice', 'bob']);
    expect(stored.map((m) => m.hops ?? 0)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(stored[0]).not.toHaveProperty('hops');
    expect(stored[0]).not.toHaveProperty('in_reply_to');
    expect(stored[1]).toMatchObject({ in_reply_to: stored[0]?.seq, hops: 1 });
    // The eleventh, alice's echo, was the one refused.
    const refused = alice.frames.find((f) => f.type === 'error');
    expect(refused).toMatchObject({ code: 'SB_ERR_PAUSED', re: `echo-${stored[9]?.seq}` });

    // Every way in is closed, with a message that says why and how to resume.
    const again = await bob.request({ type: 'send_message', to: 'alice', content: 'still there?' });
    expect(again).toMatchObject({ type: 'error', code: 'SB_ERR_PAUSED' });
    expect(again['message']).toMatch(
      /conversation "dm:alice:bob" is paused by the loop breaker: more than 10 messages alternated between "(alice|bob)" and "(alice|bob)" within 60000 ms/,
    );
    expect(again['message']).toContain('POST /api/conversations/dm%3Aalice%3Abob/resume');
    const overHttp = await api(ctx.hub, 'POST', '/api/messages', { token: await agentToken(ctx.hub, 'alice'), body: { to: 'bob', content: 'over http' } });
    expect(overHttp.status).toBe(423);
    expect(overHttp.body['error']).toMatchObject({ code: 'SB_ERR_PAUSED' });
    expect(await alice.request({ type: 'stream_start', to: 'bob' })).toMatchObject({ type: 'error', code: 'SB_ERR_PAUSED' });
    expect(await storedMessages(ctx.hub, DM)).toHaveLength(10);

    expect((await conversation(ctx.hub, DM))?.paused).toEqual({ at: expect.any(String), reason: expect.stringContaining('more than 10 messages') });
    expect(await eventKinds(ctx.hub)).toContainEqual({ kind: 'conversation_paused', subject: DM, actor: 'alice' });
  });

  it('is resumed by the person (admin token) only, and then carries work again', async () => {
    const alice = await ctx.agent('alice');
    const bob = await ctx.agent('bob');
    await runEchoLoop(alice, bob);
    const loopAlerts = async (): Promise<{ rule: string; subject: string; level: string; state: string }[]> => {
      const { body } = await api(ctx.hub, 'GET', '/api/alerts');
      return (body['alerts'] as { rule: string; subject: string; level: string; state: string }[])
        .filter((a) => a.rule === 'conversation_loop')
        .map(({ rule, subject, level, state }) => ({ rule, subject, level, state }));
    };
    expect(await eventually(async () => ((await loopAlerts()).length > 0 ? loopAlerts() : undefined), 'a loop alert')).toEqual([
      { rule: 'conversation_loop', subject: DM, level: 'critical', state: 'open' },
    ]);

    const forbidden = await api(ctx.hub, 'POST', `/api/conversations/${encodeURIComponent(DM)}/resume`, { token: await agentToken(ctx.hub, 'alice') });
    expect(forbidden.status).toBe(403);
    expect(await alice.request({ type: 'resume_conversation', conversation_id: DM })).toMatchObject({ type: 'error', code: 'SB_ERR_FORBIDDEN' });

    const resumed = await api(ctx.hub, 'POST', `/api/conversations/${encodeURIComponent(DM)}/resume`);
    expect(resumed).toEqual({ status: 200, body: { status: 'ok', conversation_id: DM, resumed: true } });
    const notice = { type: 'conversation_resumed', conversation_id: DM, by: 'user' };
    expect(await alice.next('conversation_resumed')).toEqual(notice);
    expect(await bob.next('conversation_resumed')).toEqual(notice);
    expect((await conversation(ctx.hub, DM))?.paused).toBeNull();
    expect(await eventKinds(ctx.hub)).toContainEqual({ kind: 'conversation_resumed', subject: DM, actor: 'user' });
    expect(await eventually(async () => ((await loopAlerts())[0]?.state === 'resolved' ? loopAlerts() : undefined), 'the loop alert to resolve')).toEqual([
      { rule: 'conversation_loop', subject: DM, level: 'critical', state: 'resolved' },
    ]);

    // The echo agents stopped at the pause; real work flows again, with a fresh window.
    const work = await bob.request({ type: 'send_message', to: 'alice', content: 'back to work' });
    expect(work).toMatchObject({ type: 'ack', message: { content: 'back to work' } });
    expect(await storedMessages(ctx.hub, DM)).toHaveLength(11);

    // Resuming what is not paused changes nothing; a conversation that does not exist is not found.
    const admin = await ctx.admin('user');
    expect(await admin.request({ type: 'resume_conversation', conversation_id: DM })).toMatchObject({ type: 'ack', conversation_id: DM, resumed: false });
    expect((await api(ctx.hub, 'POST', '/api/conversations/nowhere/resume')).status).toBe(404);
  });

  it('are paused when they answer each other in strict turns without marking their replies', async () => {
    const alice = await ctx.agent('alice');
    const bob = await ctx.agent('bob');
    echo(alice, 'bob', { reply: false });
    echo(bob, 'alice', { reply: false });
    expect(await alice.request({ type: 'send_message', to: 'bob', content: 'hello bob' })).toMatchObject({ type: 'ack' });
    expect(await bob.next('conversation_paused')).toMatchObject({ conversation_id: DM, rule: 'rate', agents: ['alice', 'bob'] });
    const stored = await storedMessages(ctx.hub, DM);
    expect({ senders: stored.map((m) => m.sender), replies: stored.filter((m) => m.in_reply_to !== undefined) }).toEqual({
      senders: ['alice', 'bob', 'alice', 'bob', 'alice', 'bob', 'alice', 'bob', 'alice', 'bob'],
      replies: [],
    });
  });

  it('can be resumed with the resume_conversation frame', async () => {
    const alice = await ctx.agent('alice');
    const bob = await ctx.agent('bob');
    await runEchoLoop(alice, bob);
    const admin = await ctx.admin('user');
    expect(await admin.request({ type: 'resume_conversation', conversation_id: DM })).toMatchObject({ type: 'ack', conversation_id: DM, resumed: true });
    expect(await bob.next('conversation_resumed')).toMatchObject({ conversation_id: DM, by: 'user' });
    expect(await alice.request({ type: 'send_message', to: 'bob', content: 'ok' })).toMatchObject({ type: 'ack' });
  });
});

describe('two agents posting on their own into one conversation', () => {
  // The same budget that pauses the echo loop above after ten messages.
  const ctx = useHub({ loopMaxMessages: 10, loopWindowMs: 60_000 });

  it('are never paused, however fast and however their messages interleave', async () => {
    const [alice, bob] = [await ctx.agent('alice'), await ctx.agent('bob')];
    await Promise.all([alice.request({ type: 'subscribe', conversations: ['busy'] }), bob.request({ type: 'subscribe', conversations: ['busy'] })]);
    // Each sends its next message as soon as the last one is acknowledged, as a busy agent does: the two
    // streams interleave at the hub in whatever order their frames arrive, often one for one.
    const steady = async (client: TestClient, agent: string): Promise<string[]> => {
      const replies: string[] = [];
      for (let i = 0; i < 300; i++) replies.push((await client.request({ type: 'send_message', conversation_id: 'busy', content: `${agent} ${i}` })).type);
      return replies;
    };
    const [aliceSteady, bobSteady] = await Promise.all([steady(alice, 'alice'), steady(bob, 'bob')]);
    // And in bursts, without waiting for acknowledgements.
    await Promise.all([publish(alice, 'busy', 300), publish(bob, 'busy', 300)]);

    const stored = await storedMessages(ctx.hub, 'busy');
    const switches = stored.filter((m, i) => i > 0 && m.sender !== stored[i - 1]?.sender).length;
    expect({
      aliceSteady: aliceSteady.filter((type) => type !== 'ack'),
      bobSteady: bobSteady.filter((type) => type !== 'ack'),
      stored: stored.length,
      paused: (await conversation(ctx.hub, 'busy'))?.paused,
      pauseFrames: alice.frames.concat(bob.frames).filter((f) => f.type === 'conversation_paused'),
    }).toEqual({ aliceSteady: [], bobSteady: [], stored: 1200, paused: null, pauseFrames: [] });
    // The senders did take turns at the hub, far more often than the budget.
    expect(switches).toBeGreaterThan(10);
  });
});

describe('the hop budget', () => {
  const ctx = useHub({ loopMaxHops: 5 });

  /** Sends a reply in the channel and returns the ack or error. */
  const reply = (client: TestClient, inReplyTo: number | undefined, content: string): Promise<Frame> =>
    client.request({ type: 'send_message', conversation_id: 'chain', content, ...(inReplyTo === undefined ? {} : { in_reply_to: inReplyTo }) });

  it('pauses a chain of replies longer than loopMaxHops, however many agents take part', async () => {
    const [alice, bob, carol] = [await ctx.agent('alice'), await ctx.agent('bob'), await ctx.agent('carol')];
    await carol.request({ type: 'subscribe', conversations: ['chain'] });
    const speakers = [alice, bob, carol];
    let previous: number | undefined;
    for (let i = 0; i <= 5; i++) {
      const ack = await reply(speakers[i % 3] as TestClient, previous, `step ${i}`);
      expect(ack).toMatchObject({ type: 'ack' });
      const message = ack['message'] as StoredMessage;
      expect(message.hops ?? 0).toBe(i);
      previous = message.seq;
    }
    // Hop 6 is past the budget: refused, and the conversation is paused for everyone.
    const refused = await reply(alice, previous, 'step 6');
    expect(refused).toMatchObject({ type: 'error', code: 'SB_ERR_PAUSED' });
    expect(refused['message']).toContain('a chain of replies between "carol" and "alice" reached 6 hops (loopMaxHops 5)');
    expect(await carol.next('conversation_paused')).toEqual({
      type: 'conversation_paused',
      conversation_id: 'chain',
      rule: 'hops',
      reason: 'a chain of replies between "carol" and "alice" reached 6 hops (loopMaxHops 5)',
      agents: ['alice', 'carol'],
    });
    expect(await reply(bob, undefined, 'a fresh start')).toMatchObject({ type: 'error', code: 'SB_ERR_PAUSED' });
    expect(await storedMessages(ctx.hub, 'chain')).toHaveLength(6);

    // After the resume the chain goes on with a full budget: hops keep counting, the budget starts again.
    expect((await api(ctx.hub, 'POST', '/api/conversations/chain/resume')).body['resumed']).toBe(true);
    for (let i = 6; i <= 10; i++) {
      const ack = await reply(speakers[i % 3] as TestClient, previous, `step ${i}`);
      expect(ack).toMatchObject({ type: 'ack', message: { hops: i } });
      previous = (ack['message'] as StoredMessage).seq;
    }
    expect(await reply(bob, previous, 'step 11')).toMatchObject({ type: 'error', code: 'SB_ERR_PAUSED' });
  });

  it('starts no chain from a reply to a message of another conversation', async () => {
    const alice = await ctx.agent('alice');
    const elsewhere = await alice.request({ type: 'send_message', conversation_id: 'other', content: 'x' });
    const seq = (elsewhere['message'] as StoredMessage).seq;
    const ack = await reply(alice, seq, 'answering across');
    expect(ack['message']).toMatchObject({ in_reply_to: seq });
    expect(ack['message']).not.toHaveProperty('hops');
  });
});

describe('normal traffic', () => {
  // Time moves only when the test says so: a human pace is exactly that, however busy the machine.
  const clock = manualClock();
  const ctx = useHub({ loopMaxMessages: 3, loopWindowMs: 300, loopMaxHops: 1000 }, { clock });

  it('is never paused: one agent posting a lot, many agents taking turns, two agents at a human pace', async () => {
    const alice = await ctx.agent('alice');
    const bob = await ctx.agent('bob');
    const carol = await ctx.agent('carol');

    await publish(alice, 'busy', 200);

    const speakers = [alice, bob, carol];
    let previous: number | undefined;
    for (let i = 0; i < 30; i++) {
      const ack = await (speakers[i % 3] as TestClient).request({
        type: 'send_message',
        conversation_id: 'round',
        content: `turn ${i}`,
        ...(previous === undefined ? {} : { in_reply_to: previous }),
      });
      expect(ack.type).toBe('ack');
      previous = (ack['message'] as StoredMessage).seq;
    }

    // Two agents alternating, but never more than three messages within the 300 ms window.
    for (let i = 0; i < 8; i++) {
      expect(await (i % 2 === 0 ? alice : bob).request({ type: 'send_message', conversation_id: 'slow', content: `turn ${i}` })).toMatchObject({ type: 'ack' });
      clock.advance(150);
    }

    const { body } = await api(ctx.hub, 'GET', '/api/conversations');
    expect((body['conversations'] as ConversationInfo[]).map((c) => [c.id, c.message_count, c.paused]).sort()).toEqual([
      ['busy', 200, null],
      ['round', 30, null],
      ['slow', 8, null],
    ]);
    expect(alice.frames.concat(bob.frames, carol.frames).filter((f) => f.type === 'conversation_paused' || f.type === 'error')).toEqual([]);
  });
});

describe('across a restart', () => {
  it('stays paused until a person resumes it', async () => {
    const dataDir = tempDir();
    try {
      const before = await startHub({ dataDir, loopMaxMessages: 4 });
      const alice = await connectAgent(before, 'alice');
      const bob = await connectAgent(before, 'bob');
      await runEchoLoop(alice, bob);
      await Promise.all([alice.close(), bob.close()]);
      await before.stop();

      const after = await startHub({ dataDir, loopMaxMessages: 4 });
      try {
        expect((await conversation(after, DM))?.paused).toEqual({ at: expect.any(String), reason: expect.stringContaining('more than 4 messages') });
        const again = await connectAgent(after, 'alice');
        expect(await again.request({ type: 'send_message', to: 'bob', content: 'after the restart' })).toMatchObject({ type: 'error', code: 'SB_ERR_PAUSED' });
        expect(await storedMessages(after, DM)).toHaveLength(4);
        expect((await api(after, 'POST', `/api/conversations/${encodeURIComponent(DM)}/resume`)).body['resumed']).toBe(true);
        expect(await again.next('conversation_resumed')).toMatchObject({ conversation_id: DM });
        expect(await again.request({ type: 'send_message', to: 'bob', content: 'after the resume' })).toMatchObject({ type: 'ack' });
        await again.close();
      } finally {
        await after.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
