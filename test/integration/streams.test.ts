/** Streamed messages: relayed live as they grow, stored once at the end, kept as incomplete if the sender leaves. */
import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../shared/index.js';
import { agentToken, api, connectAgent, useHub, type TestClient } from '../helpers/hub.js';
import { storedMessage, storedMessages } from '../helpers/messages.js';
import { eventually } from '../helpers/wait.js';

const ctx = useHub();
const { agent } = ctx;

const streamFrames = (client: TestClient): Record<string, unknown>[] => client.frames.filter((f) => f.type.startsWith('stream_'));

describe('streamed messages', () => {
  it('relays stream_start, indexed chunks and stream_end with full_content and the stored seq to subscribers', async () => {
    const alice = await agent('alice');
    const bob = await agent('bob');
    await bob.request({ type: 'subscribe', conversations: ['room'] });

    const started = await alice.request({ type: 'stream_start', stream_id: 'reply-1', conversation_id: 'room', message_type: 'insight' });
    expect(started).toEqual({ type: 'ack', re: expect.any(String), stream_id: 'reply-1', conversation_id: 'room' });
    alice.send({ type: 'stream_chunk', stream_id: 'reply-1', content: 'Hello! ' });
    const chunkAck = await alice.request({ type: 'stream_chunk', stream_id: 'reply-1', content: "I'm doing well." });
    expect(chunkAck).toEqual({ type: 'ack', re: expect.any(String), stream_id: 'reply-1', index: 1 });
    const ended = await alice.request({ type: 'stream_end', stream_id: 'reply-1', full_content: "Hello! I'm doing well." });
    const stored = {
      id: 'm_1',
      seq: 1,
      conversation_id: 'room',
      sender: 'alice',
      message_type: 'insight',
      content: "Hello! I'm doing well.",
      created_at: expect.any(String),
    };
    expect(ended).toEqual({ type: 'ack', re: expect.any(String), duplicate: false, message: stored });

    await bob.next('stream_end');
    const relay = { stream_id: 'reply-1', conversation_id: 'room', sender: 'alice' };
    expect(streamFrames(bob)).toEqual([
      { type: 'stream_start', ...relay, message_type: 'insight' },
      { type: 'stream_chunk', ...relay, index: 0, content: 'Hello! ' },
      { type: 'stream_chunk', ...relay, index: 1, content: "I'm doing well." },
      { type: 'stream_end', stream_id: 'reply-1', full_content: "Hello! I'm doing well.", ...stored },
    ]);
    // Chunks are not stored; the finished message is, once.
    expect(await storedMessages(ctx.hub, 'room')).toEqual([{ ...stored, created_at: (ended['message'] as StoredMessage).created_at }]);
    expect(bob.frames.filter((f) => f.type === 'new_message')).toEqual([]);
  });

  it('brings a subscriber that arrives mid-stream up to date, live or after a replay, so what it assembles is full_content', async () => {
    const alice = await agent('alice');
    await alice.request({ type: 'send_message', conversation_id: 'room', content: 'before the stream' });
    await alice.request({ type: 'stream_start', stream_id: 'reply-2', conversation_id: 'room' });
    alice.send({ type: 'stream_chunk', stream_id: 'reply-2', content: 'Once upon ' });
    await alice.request({ type: 'stream_chunk', stream_id: 'reply-2', content: 'a time' });
    const live = await agent('bob');
    await live.request({ type: 'subscribe', conversations: ['room'] });
    const replaying = await agent('carol');
    await replaying.request({ type: 'subscribe', conversations: '*', since: 0 });
    await replaying.next('caught_up');
    await alice.request({ type: 'stream_chunk', stream_id: 'reply-2', content: ', the end.' });
    await alice.request({ type: 'stream_end', stream_id: 'reply-2' });

    const assembled = async (client: TestClient): Promise<{ frames: string[]; text: string; full: unknown }> => {
      const end = await client.next('stream_end');
      const frames = client.frames.filter((f) => ['stream_start', 'stream_chunk', 'new_message', 'caught_up'].includes(f.type));
      const start: Record<string, unknown> = frames.find((f) => f.type === 'stream_start') ?? {};
      const chunks = frames.filter((f) => f.type === 'stream_chunk');
      return {
        frames: frames.map((f) => (f.type === 'stream_chunk' ? `chunk ${String(f['index'])}` : f.type)),
        text: String(start['content_so_far'] ?? '') + chunks.map((f) => String(f['content'])).join(''),
        full: end['full_content'],
      };
    };
    expect(await assembled(live)).toEqual({ frames: ['stream_start', 'chunk 2'], text: 'Once upon a time, the end.', full: 'Once upon a time, the end.' });
    expect(await assembled(replaying)).toEqual({
      frames: ['new_message', 'stream_start', 'caught_up', 'chunk 2'],
      text: 'Once upon a time, the end.',
      full: 'Once upon a time, the end.',
    });
    expect(live.frames.find((f) => f.type === 'stream_start')).toEqual({
      type: 'stream_start',
      stream_id: 'reply-2',
      conversation_id: 'room',
      sender: 'alice',
      message_type: 'message',
      content_so_far: 'Once upon a time',
      next_index: 2,
    });
  });

  it('brings the other side of a direct conversation that connects mid-stream up to date, without a subscribe', async () => {
    const alice = await agent('alice');
    await alice.request({ type: 'stream_start', stream_id: 'dm-1', to: 'bob' });
    await alice.request({ type: 'stream_chunk', stream_id: 'dm-1', content: 'Hi Bob, ' });
    const bob = await agent('bob');
    await alice.request({ type: 'stream_chunk', stream_id: 'dm-1', content: 'are you there?' });
    await alice.request({ type: 'stream_end', stream_id: 'dm-1' });
    await bob.next('stream_end');
    const start = bob.frames.find((f) => f.type === 'stream_start') as Record<string, unknown>;
    const chunks = bob.frames.filter((f) => f.type === 'stream_chunk').map((f) => String(f['content']));
    expect({ start: [start['stream_id'], start['content_so_far'], start['next_index']], text: String(start['content_so_far']) + chunks.join('') }).toEqual({
      start: ['dm-1', 'Hi Bob, ', 1],
      text: 'Hi Bob, are you there?',
    });
  });

  it('stores the joined chunks when stream_end carries no full_content, with a stream id the hub chose', async () => {
    const alice = await agent('alice');
    const started = await alice.request({ type: 'stream_start', conversation_id: 'room' });
    const streamId = started['stream_id'] as string;
    expect(streamId).toMatch(/^s_[0-9a-f]{16}$/);
    for (const piece of ['a', 'b', 'c']) alice.send({ type: 'stream_chunk', stream_id: streamId, content: piece });
    const ended = await alice.request({ type: 'stream_end', stream_id: streamId, payload: { tokens: 3 } });
    expect(ended['message']).toEqual({
      id: 'm_1',
      seq: 1,
      conversation_id: 'room',
      sender: 'alice',
      message_type: 'message',
      content: 'abc',
      payload: { tokens: 3 },
      created_at: expect.any(String),
    });
  });

  it('streams a direct message to the recipient without a subscription', async () => {
    const alice = await agent('alice');
    const bob = await agent('bob');
    const started = await alice.request({ type: 'stream_start', stream_id: 'dm-1', to: 'bob' });
    expect(started['conversation_id']).toBe('dm:alice:bob');
    alice.send({ type: 'stream_chunk', stream_id: 'dm-1', content: 'hi' });
    await alice.request({ type: 'stream_end', stream_id: 'dm-1' });
    await bob.next('stream_end');
    expect(streamFrames(bob).map((f) => [f['type'], f['conversation_id'], f['content'] ?? null])).toEqual([
      ['stream_start', 'dm:alice:bob', null],
      ['stream_chunk', 'dm:alice:bob', 'hi'],
      ['stream_end', 'dm:alice:bob', 'hi'],
    ]);
  });

  it('stores what was said, marked incomplete, when the sender disconnects mid-stream', async () => {
    const alice = await agent('alice');
    const bob = await agent('bob');
    await bob.request({ type: 'subscribe', conversations: ['room'] });
    await alice.request({ type: 'stream_start', stream_id: 'cut', conversation_id: 'room' });
    alice.send({ type: 'stream_chunk', stream_id: 'cut', content: 'The answer ' });
    await alice.request({ type: 'stream_chunk', stream_id: 'cut', content: 'is' });
    await alice.close();

    const end = await bob.next('stream_end');
    const stored = {
      id: 'm_1',
      seq: 1,
      conversation_id: 'room',
      sender: 'alice',
      message_type: 'message',
      content: 'The answer is',
      incomplete: true,
      created_at: expect.any(String),
    };
    expect(end).toEqual({ type: 'stream_end', stream_id: 'cut', full_content: 'The answer is', ...stored });
    expect(await storedMessages(ctx.hub, 'room')).toEqual([stored]);
    const status = await api(ctx.hub, 'GET', '/ws/status');
    expect(status.body['open_streams']).toBe(0);
  });

  it('stores a stream resent with the same client_msg_id after its sender dropped mid-way, keeping the incomplete part too', async () => {
    const aliceToken = await agentToken(ctx.hub, 'alice');
    const dropped = await connectAgent(ctx.hub, 'alice', aliceToken);
    await dropped.request({ type: 'stream_start', stream_id: 'first-try', conversation_id: 'room', client_msg_id: 'answer-1' });
    await dropped.request({ type: 'stream_chunk', stream_id: 'first-try', content: 'The ans' });
    await dropped.close();
    await eventually(async () => ((await storedMessages(ctx.hub, 'room')).length === 1 ? true : undefined), 'the incomplete message');

    const again = await agent('alice');
    await again.request({ type: 'stream_start', stream_id: 'second-try', conversation_id: 'room', client_msg_id: 'answer-1' });
    again.send({ type: 'stream_chunk', stream_id: 'second-try', content: 'The answer is 42.' });
    const ended = await again.request({ type: 'stream_end', stream_id: 'second-try' });
    expect(ended['duplicate']).toBe(false);
    const base = storedMessage({ conversation_id: 'room', sender: 'alice' });
    expect(await storedMessages(ctx.hub, 'room')).toEqual([
      { ...base, content: 'The ans', incomplete: true },
      { ...base, content: 'The answer is 42.', client_msg_id: 'answer-1' },
    ]);
  });

  it('refuses chunks and ends for a stream another connection opened, and for unknown streams, with SB_ERR_STREAM', async () => {
    const alice = await agent('alice');
    const carol = await agent('carol');
    await alice.request({ type: 'stream_start', stream_id: 'mine', conversation_id: 'room' });
    const refusal = (id: string) => ({ type: 'error', re: expect.any(String), code: 'SB_ERR_STREAM', message: `no open stream "${id}" from this connection` });
    expect([
      await carol.request({ type: 'stream_chunk', stream_id: 'mine', content: 'hijack' }),
      await carol.request({ type: 'stream_end', stream_id: 'mine', full_content: 'hijacked' }),
      await alice.request({ type: 'stream_chunk', stream_id: 'never-opened', content: 'x' }),
    ]).toEqual([refusal('mine'), refusal('mine'), refusal('never-opened')]);
    // The owner's stream is untouched by the attempts.
    await alice.request({ type: 'stream_chunk', stream_id: 'mine', content: 'mine' });
    const ended = await alice.request({ type: 'stream_end', stream_id: 'mine' });
    expect((ended['message'] as StoredMessage).content).toBe('mine');
    // An ended stream is closed: a late chunk is refused too.
    expect(await alice.request({ type: 'stream_chunk', stream_id: 'mine', content: 'late' })).toEqual(refusal('mine'));
  });

  it('ends a resent stream for its subscribers with the message first stored under the same client_msg_id', async () => {
    const alice = await agent('alice');
    const bob = await agent('bob');
    await bob.request({ type: 'subscribe', conversations: ['room'] });
    const streamOnce = async (streamId: string): Promise<Record<string, unknown>> => {
      await alice.request({ type: 'stream_start', stream_id: streamId, conversation_id: 'room', client_msg_id: 'reply-k' });
      alice.send({ type: 'stream_chunk', stream_id: streamId, content: 'same words' });
      return alice.request({ type: 'stream_end', stream_id: streamId });
    };
    const first = await streamOnce('try-1');
    const again = await streamOnce('try-2');
    expect([first['duplicate'], again['duplicate'], again['message']]).toEqual([false, true, first['message']]);
    await bob.next((f) => f.type === 'stream_end' && f['stream_id'] === 'try-2');
    expect(streamFrames(bob).map((f) => `${String(f['type'])} ${String(f['stream_id'])}`)).toEqual([
      'stream_start try-1',
      'stream_chunk try-1',
      'stream_end try-1',
      'stream_start try-2',
      'stream_chunk try-2',
      'stream_end try-2',
    ]);
    expect(streamFrames(bob).at(-1)).toEqual({
      type: 'stream_end',
      stream_id: 'try-2',
      full_content: 'same words',
      duplicate: true,
      ...(first['message'] as StoredMessage),
    });
    expect(await storedMessages(ctx.hub, 'room')).toEqual([first['message']]);
  });

  it('refuses a second stream_start with a stream id that is still open', async () => {
    const alice = await agent('alice');
    await alice.request({ type: 'stream_start', stream_id: 'twice', conversation_id: 'room' });
    expect(await alice.request({ type: 'stream_start', stream_id: 'twice', conversation_id: 'room' })).toEqual({
      type: 'error',
      re: expect.any(String),
      code: 'SB_ERR_CONFLICT',
      message: 'stream "twice" is already open',
    });
  });

  it('refuses to stream into a members-only conversation the sender is not in', async () => {
    const alice = await agent('alice');
    const carol = await agent('carol');
    await alice.request({ type: 'create_conversation', conversation_id: 'secret', members: [] });
    const refused = await carol.request({ type: 'stream_start', conversation_id: 'secret' });
    expect(refused['code']).toBe('SB_ERR_FORBIDDEN');
    await eventually(async () => ((await api(ctx.hub, 'GET', '/ws/status')).body['open_streams'] === 0 ? true : undefined), 'no open streams');
  });
});
