/** Subscribing with a cursor (replay, then live, no gap, no duplicate), unsubscribing, and history paging. */
import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../shared/index.js';
import { useHub, type Frame, type TestClient } from '../helpers/hub.js';
import { ackedSeq, publish, received, storedMessages } from '../helpers/messages.js';
import { eventually } from '../helpers/wait.js';

const ctx = useHub();
const { admin, agent } = ctx;

/** Keeps publishing batches to a conversation until stopped; resolves with every acknowledged seq. */
function keepPublishing(client: TestClient, conversationId: string, stop: { now: boolean }): Promise<number[]> {
  return (async () => {
    const seqs: number[] = [];
    let round = 0;
    while (!stop.now) {
      const acks = await publish(client, conversationId, 20, (i) => `live ${round}.${i}`);
      seqs.push(...acks.map(ackedSeq));
      round++;
    }
    return seqs;
  })();
}

const seqsOf = (frames: Frame[]): number[] => frames.map((f) => f['seq'] as number);

describe('subscribe with a since cursor', () => {
  it('replays stored messages after the cursor, then caught_up, then live ones', async () => {
    const alice = await admin('alice');
    const acks = await publish(alice, 'room', 5, (i) => `old ${i}`);
    const bob = await admin('bob');
    const subscribed = await bob.request({ type: 'subscribe', conversations: ['room'], since: ackedSeq(acks[1] as Frame) });
    expect(subscribed).toEqual({ type: 'subscribed', re: expect.any(String), conversations: ['room'], since: 2, last_seq: 5 });
    const caughtUp = await bob.next('caught_up');
    expect(caughtUp).toEqual({ type: 'caught_up', re: subscribed['re'], conversations: ['room'], seq: 5, replayed: 3 });
    await alice.request({ type: 'send_message', conversation_id: 'room', content: 'new' });
    await bob.next((f) => f['content'] === 'new');
    const types = bob.frames.slice(1).map((f) => (f.type === 'new_message' ? `${f.type} ${String(f['content'])}` : f.type));
    expect(types).toEqual(['subscribed', 'new_message old 2', 'new_message old 3', 'new_message old 4', 'caught_up', 'new_message new']);
  });

  it('sends only live messages when subscribing without a cursor', async () => {
    const alice = await admin('alice');
    await publish(alice, 'room', 3);
    const bob = await admin('bob');
    expect(await bob.request({ type: 'subscribe', conversations: ['room'] })).toEqual({
      type: 'subscribed',
      re: expect.any(String),
      conversations: ['room'],
      since: null,
      last_seq: 3,
    });
    await alice.request({ type: 'send_message', conversation_id: 'room', content: 'live' });
    await bob.next('new_message');
    expect(received(bob).map((f) => f['content'])).toEqual(['live']);
    expect(bob.frames.some((f) => f.type === 'caught_up')).toBe(false);
  });

  it('replays thousands of messages across pages while three clients publish, then goes live with no gap and no duplicate', async () => {
    const seeder = await admin('seeder');
    // 3000 in "busy" interleaved with 600 elsewhere: replay spans several pages of 1000 and must filter.
    const preloadedSeqs: number[] = [];
    for (let i = 0; i < 6; i++) {
      preloadedSeqs.push(...(await publish(seeder, 'busy', 500)).map(ackedSeq));
      await publish(seeder, 'other', 100);
    }
    const preloaded = preloadedSeqs.at(-1) ?? 0;

    const publishers = await Promise.all([admin('p1'), admin('p2'), admin('p3')]);
    const stop = { now: false };
    const pumps = [
      keepPublishing(publishers[0] as TestClient, 'busy', stop),
      keepPublishing(publishers[1] as TestClient, 'busy', stop),
      keepPublishing(publishers[2] as TestClient, 'other', stop),
    ];

    const one = await admin('one');
    const all = await admin('all');
    const middle = await admin('middle');
    const cursor = Math.floor(preloaded / 2);
    const [subOne, subAll, subMiddle] = await Promise.all([
      one.request({ type: 'subscribe', conversations: ['busy'], since: 0 }),
      all.request({ type: 'subscribe', conversations: '*', since: 0 }),
      middle.request({ type: 'subscribe', conversations: ['busy'], since: cursor }),
    ]);
    const caughtUp = await Promise.all([
      one.next('caught_up', { timeoutMs: 15_000 }),
      all.next('caught_up', { timeoutMs: 15_000 }),
      middle.next('caught_up', { timeoutMs: 15_000 }),
    ]);
    // Keep publishing until each subscriber has had live messages after its replay.
    await eventually(
      () =>
        [one, all, middle].every((c, i) => received(c).some((f) => (f['seq'] as number) > ((caughtUp[i] as Frame)['seq'] as number) + 60)) ? true : undefined,
      'live messages after the replays',
      15_000,
    );
    stop.now = true;
    const [fromP1, fromP2] = await Promise.all(pumps);

    const busy = await storedMessages(ctx.hub, 'busy');
    const other = await storedMessages(ctx.hub, 'other');
    const everything = [...busy, ...other].map((m) => m.seq).sort((a, b) => a - b);
    const lastBusy = busy.at(-1)?.seq ?? 0;
    const lastAny = everything.at(-1) ?? 0;
    await Promise.all([
      one.next((f) => f['seq'] === lastBusy, { from: 0, timeoutMs: 10_000 }),
      middle.next((f) => f['seq'] === lastBusy, { from: 0, timeoutMs: 10_000 }),
      all.next((f) => f['seq'] === lastAny, { from: 0, timeoutMs: 10_000 }),
    ]);
    // A round trip through each subscriber's connection: anything still queued for it has arrived.
    await Promise.all([one, all, middle].map((c) => c.request({ type: 'ping' })));

    // Storage holds exactly what was acknowledged.
    expect(busy.map((m) => m.seq)).toEqual([...preloadedSeqs, ...(fromP1 ?? []), ...(fromP2 ?? [])].sort((a, b) => a - b));
    expect({
      one: seqsOf(received(one)),
      all: seqsOf(received(all)),
      middle: seqsOf(received(middle)),
    }).toEqual({
      one: busy.map((m) => m.seq),
      all: everything,
      middle: busy.map((m) => m.seq).filter((seq) => seq > cursor),
    });
    // Replayed and live frames carry the stored message exactly.
    expect(received(one).map(({ type: _type, ...rest }) => rest)).toEqual(busy);
    expect([subOne['since'], subAll['since'], subMiddle['since']]).toEqual([0, 0, cursor]);
    // caught_up is the boundary: everything at or below its seq came before it, everything above after it.
    for (const [client, done] of [
      [one, caughtUp[0]],
      [all, caughtUp[1]],
      [middle, caughtUp[2]],
    ] as [TestClient, Frame][]) {
      const at = client.frames.indexOf(done);
      const seqBefore = seqsOf(client.frames.slice(0, at).filter((f) => f.type === 'new_message'));
      const seqAfter = seqsOf(client.frames.slice(at).filter((f) => f.type === 'new_message'));
      expect({ before: seqBefore.every((s) => s <= (done['seq'] as number)), after: seqAfter.every((s) => s > (done['seq'] as number)) }).toEqual({
        before: true,
        after: true,
      });
    }
    expect((caughtUp[0] as Frame)['replayed']).toBe(seqsOf(received(one)).filter((s) => s <= ((caughtUp[0] as Frame)['seq'] as number)).length);
  }, 60_000);

  it('replays to an agent subscribed to everything only what it may read: open conversations and its own direct messages', async () => {
    const alice = await admin('alice');
    await alice.request({ type: 'create_conversation', conversation_id: 'secret', members: [] });
    await alice.request({ type: 'send_message', conversation_id: 'secret', content: 'hidden' });
    await alice.request({ type: 'send_message', conversation_id: 'open', content: 'visible' });
    await alice.request({ type: 'send_message', to: 'carol', content: 'for carol' });
    await alice.request({ type: 'send_message', to: 'bob', content: 'for bob' });
    const carol = await agent('carol');
    await carol.request({ type: 'subscribe', conversations: '*', since: 0 });
    expect(await carol.next('caught_up')).toEqual({ type: 'caught_up', re: expect.any(String), conversations: '*', seq: 4, replayed: 2 });
    await alice.request({ type: 'send_message', conversation_id: 'secret', content: 'hidden live' });
    await alice.request({ type: 'send_message', conversation_id: 'open', content: 'visible live' });
    await carol.next((f) => f['content'] === 'visible live');
    // 'for carol' also came first from carol's offline queue, marked queued, with the same seq.
    expect(received(carol).map((f) => [f['content'], f['queued'] === true])).toEqual([
      ['for carol', true],
      ['visible', false],
      ['for carol', false],
      ['visible live', false],
    ]);
  });

  it('replaces a subscription when the same conversation is subscribed again, replaying from the new cursor', async () => {
    const alice = await admin('alice');
    await publish(alice, 'room', 4);
    const bob = await admin('bob');
    await bob.request({ type: 'subscribe', conversations: ['room'], since: 2 });
    await bob.next('caught_up');
    await bob.request({ type: 'subscribe', conversations: ['room'], since: 3 });
    await bob.next('caught_up');
    await alice.request({ type: 'send_message', conversation_id: 'room', content: 'live' });
    await bob.next((f) => f['content'] === 'live');
    expect(seqsOf(received(bob))).toEqual([3, 4, 4, 5]);
  });
});

describe('unsubscribe', () => {
  it('stops delivery of the conversations named and keeps the others', async () => {
    const alice = await admin('alice');
    const bob = await admin('bob');
    await bob.request({ type: 'subscribe', conversations: ['room', 'marker'] });
    await alice.request({ type: 'send_message', conversation_id: 'room', content: 'before' });
    await bob.next((f) => f['content'] === 'before');
    expect(await bob.request({ type: 'unsubscribe', conversations: ['room'] })).toEqual({
      type: 'unsubscribed',
      re: expect.any(String),
      remaining: ['marker'],
    });
    await alice.request({ type: 'send_message', conversation_id: 'room', content: 'after' });
    await alice.request({ type: 'send_message', conversation_id: 'marker', content: 'marker' });
    await bob.next((f) => f['content'] === 'marker');
    expect(received(bob).map((f) => f['content'])).toEqual(['before', 'marker']);
  });

  it('stops every subscription when no conversation is named', async () => {
    const alice = await admin('alice');
    const bob = await admin('bob');
    const watcher = await admin('watcher');
    await bob.request({ type: 'subscribe', conversations: ['a', 'b'] });
    await watcher.request({ type: 'subscribe', conversations: ['a', 'b'] });
    expect(await bob.request({ type: 'unsubscribe' })).toEqual({ type: 'unsubscribed', re: expect.any(String), remaining: [] });
    await alice.request({ type: 'send_message', conversation_id: 'a', content: 'x' });
    await alice.request({ type: 'send_message', conversation_id: 'b', content: 'y' });
    await watcher.next((f) => f['content'] === 'y');
    await bob.request({ type: 'ping' });
    expect(received(bob)).toEqual([]);
  });
});

describe('history', () => {
  const contents = (frame: Frame): string[] => (frame['messages'] as StoredMessage[]).map((m) => m.content);

  it('pages backwards with before and forwards with after, saying whether more pages exist', async () => {
    const alice = await admin('alice');
    await publish(alice, 'h', 25, (i) => `h${i + 1}`);
    await publish(alice, 'noise', 5);
    const page = async (fields: Record<string, unknown>): Promise<{ contents: string[]; has_more: unknown }> => {
      const response = await alice.request({ type: 'history', conversation_id: 'h', limit: 10, ...fields });
      expect(response['type']).toBe('history_response');
      return { contents: contents(response), has_more: response['has_more'] };
    };
    const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `h${from + i}`);

    expect([await page({}), await page({ before: 16 }), await page({ before: 6 })]).toEqual([
      { contents: range(16, 25), has_more: true },
      { contents: range(6, 15), has_more: true },
      { contents: range(1, 5), has_more: false },
    ]);
    expect([await page({ after: 0 }), await page({ after: 10 }), await page({ after: 20 }), await page({ after: 25 })]).toEqual([
      { contents: range(1, 10), has_more: true },
      { contents: range(11, 20), has_more: true },
      { contents: range(21, 25), has_more: false },
      { contents: [], has_more: false },
    ]);
  });

  it('returns whole stored messages with the conversation id, and an empty page for an unknown conversation', async () => {
    const alice = await admin('alice');
    await alice.request({ type: 'send_message', conversation_id: 7, content: 'seven', payload: { n: 7 } });
    expect(await alice.request({ type: 'history', conversation_id: 7 })).toEqual({
      type: 'history_response',
      re: expect.any(String),
      conversation_id: '7',
      has_more: false,
      messages: [
        {
          id: 'm_1',
          seq: 1,
          conversation_id: '7',
          sender: 'alice',
          message_type: 'message',
          content: 'seven',
          payload: { n: 7 },
          created_at: expect.any(String),
        },
      ],
    });
    expect(await alice.request({ type: 'history', conversation_id: 'nobody-here' })).toEqual({
      type: 'history_response',
      re: expect.any(String),
      conversation_id: 'nobody-here',
      has_more: false,
      messages: [],
    });
  });
});
