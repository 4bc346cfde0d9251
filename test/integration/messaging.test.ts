/** Sending messages: ordering, conversations, members-only access, idempotent resend, direct messages, presence. */
import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../shared/index.js';
import { agentToken, api, connectAgent, openSocket, useHub, type Frame } from '../helpers/hub.js';
import { received, storedMessage } from '../helpers/messages.js';
import { eventually } from '../helpers/wait.js';

const ctx = useHub();
const { agent } = ctx;

describe('sending messages', () => {
  it('gives every stored message a higher seq than the one before, across conversations', async () => {
    const alice = await agent('alice');
    const acks: Frame[] = [];
    for (const [conversation_id, content] of [
      ['a', '1'],
      ['b', '2'],
      ['a', '3'],
      ['c', '4'],
    ] as const) {
      acks.push(await alice.request({ type: 'send_message', conversation_id, content }));
    }
    const seqs = acks.map((ack) => (ack['message'] as StoredMessage).seq);
    expect(seqs).toEqual([1, 2, 3, 4]);
    expect(acks.map((ack) => (ack['message'] as StoredMessage).id)).toEqual(['m_1', 'm_2', 'm_3', 'm_4']);
  });

  it('keeps the order of messages sent back to back without waiting for acks', async () => {
    const alice = await agent('alice');
    const bob = await agent('bob');
    await bob.request({ type: 'subscribe', conversations: ['burst'] });
    for (let i = 0; i < 50; i++) alice.send({ type: 'send_message', conversation_id: 'burst', content: `n${i}` });
    await eventually(() => (received(bob).length === 50 ? true : undefined), '50 messages at bob');
    const got = received(bob);
    expect(got.map((f) => f['content'])).toEqual(Array.from({ length: 50 }, (_, i) => `n${i}`));
    expect(got.map((f) => f['seq'])).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('creates a conversation on the first message sent to a new id, visible over WebSocket and HTTP', async () => {
    const alice = await agent('alice');
    await alice.request({ type: 'send_message', conversation_id: 'fresh', content: 'first' });
    await alice.request({ type: 'send_message', conversation_id: 'fresh', content: 'second' });
    const expected = {
      id: 'fresh',
      title: null,
      kind: 'channel',
      members: null,
      created_by: 'alice',
      created_at: expect.any(String),
      last_seq: 2,
      message_count: 2,
      paused: null,
    };
    const listed = await alice.request({ type: 'list_conversations' });
    expect(listed).toEqual({ type: 'list_conversations_response', re: expect.any(String), conversations: [expected] });
    const overHttp = await api(ctx.hub, 'GET', '/api/conversations');
    expect(overHttp).toEqual({ status: 200, body: { status: 'ok', conversations: [expected] } });
  });

  it('refuses a send_message that names no conversation and keeps the connection usable', async () => {
    const alice = await agent('alice');
    const refused = await alice.request({ type: 'send_message', content: 'Hello' });
    expect(refused).toEqual({
      type: 'error',
      re: expect.any(String),
      code: 'SB_ERR_VALIDATION',
      message: 'invalid "send_message" frame: conversation_id: give exactly one of "conversation_id" or "to"',
    });
    const pong = await alice.request({ type: 'ping', timestamp: 1 });
    expect(pong['type']).toBe('pong');
  });
});

describe('members-only conversations', () => {
  it('lets members send, subscribe and read, and refuses everyone else with SB_ERR_FORBIDDEN', async () => {
    const alice = await agent('alice');
    const bob = await agent('bob');
    const carol = await agent('carol');
    const created = await alice.request({ type: 'create_conversation', conversation_id: 'secret', title: 'Plans', members: ['bob'] });
    expect(created).toEqual({
      type: 'create_conversation_response',
      re: expect.any(String),
      created: true,
      conversation: {
        id: 'secret',
        title: 'Plans',
        kind: 'channel',
        members: ['alice', 'bob'],
        created_by: 'alice',
        created_at: expect.any(String),
        last_seq: 0,
        message_count: 0,
        paused: null,
      },
    });
    await bob.request({ type: 'subscribe', conversations: ['secret'] });
    const sent = await alice.request({ type: 'send_message', conversation_id: 'secret', content: 'members only' });
    expect(sent['type']).toBe('ack');
    expect(await bob.next('new_message')).toEqual({
      type: 'new_message',
      ...storedMessage({ conversation_id: 'secret', sender: 'alice', content: 'members only' }),
    });

    const forbidden = { type: 'error', re: expect.any(String), code: 'SB_ERR_FORBIDDEN', message: 'agent "carol" is not a member of conversation "secret"' };
    const attempts = [
      await carol.request({ type: 'send_message', conversation_id: 'secret', content: 'let me in' }),
      await carol.request({ type: 'subscribe', conversations: ['secret'] }),
      await carol.request({ type: 'subscribe', conversations: ['open', 'secret'], since: 0 }),
      await carol.request({ type: 'history', conversation_id: 'secret' }),
    ];
    expect(attempts).toEqual([forbidden, forbidden, forbidden, forbidden]);

    const carolToken = await agentToken(ctx.hub, 'carol');
    const overHttp = await Promise.all([
      api(ctx.hub, 'GET', '/api/conversations/secret/messages', { token: carolToken }),
      api(ctx.hub, 'POST', '/api/messages', { token: carolToken, body: { conversation_id: 'secret', content: 'let me in' } }),
    ]);
    const httpForbidden = { status: 403, body: { status: 'error', error: { code: 'SB_ERR_FORBIDDEN', message: forbidden.message } } };
    expect(overHttp).toEqual([httpForbidden, httpForbidden]);

    const carolList = await carol.request({ type: 'list_conversations' });
    expect(carolList['conversations']).toEqual([]);
    // Nothing carol tried was stored.
    const history = await bob.request({ type: 'history', conversation_id: 'secret' });
    expect((history['messages'] as StoredMessage[]).map((m) => m.content)).toEqual(['members only']);
  });

  it('does not deliver members-only messages to a non-member subscribed to every conversation', async () => {
    const alice = await agent('alice');
    const carol = await agent('carol');
    await alice.request({ type: 'create_conversation', conversation_id: 'secret', members: [] });
    await carol.request({ type: 'subscribe', conversations: '*' });
    await alice.request({ type: 'send_message', conversation_id: 'secret', content: 'hidden' });
    await alice.request({ type: 'send_message', conversation_id: 'open', content: 'visible' });
    await carol.next('new_message');
    expect(received(carol).map((f) => f['content'])).toEqual(['visible']);
  });
});

describe('idempotent resend', () => {
  it('returns the first stored message for a repeated client_msg_id, stores nothing new and delivers it once', async () => {
    const alice = await agent('alice');
    const bob = await agent('bob');
    await bob.request({ type: 'subscribe', conversations: ['room'] });
    const first = await alice.request({ type: 'send_message', conversation_id: 'room', content: 'once', client_msg_id: 'k-1' });
    const again = await alice.request({ type: 'send_message', conversation_id: 'room', content: 'once', client_msg_id: 'k-1' });
    const stored = storedMessage({ id: 'm_1', seq: 1, conversation_id: 'room', sender: 'alice', content: 'once', client_msg_id: 'k-1' });
    expect([first, again]).toEqual([
      { type: 'ack', re: expect.any(String), duplicate: false, message: stored },
      { type: 'ack', re: expect.any(String), duplicate: true, message: first['message'] },
    ]);
    await alice.request({ type: 'send_message', conversation_id: 'room', content: 'marker' });
    await bob.next((f) => f['content'] === 'marker');
    expect(received(bob).map((f) => f['seq'])).toEqual([1, 2]);
    const read = await api(ctx.hub, 'GET', '/api/conversations/room/messages');
    expect((read.body['messages'] as StoredMessage[]).map((m) => m.content)).toEqual(['once', 'marker']);
  });

  it('stores a repeated client_msg_id once even when both copies arrive in the same instant', async () => {
    const alice = await agent('alice');
    const from = alice.frames.length;
    alice.send({ type: 'send_message', id: 'x', conversation_id: 'room', content: 'twice', client_msg_id: 'k-2' });
    alice.send({ type: 'send_message', id: 'y', conversation_id: 'room', content: 'twice', client_msg_id: 'k-2' });
    const [x, y] = await Promise.all([alice.next((f) => f['re'] === 'x', { from }), alice.next((f) => f['re'] === 'y', { from })]);
    expect([x['duplicate'], y['duplicate']]).toEqual([false, true]);
    expect(y['message']).toEqual(x['message']);
    const read = await api(ctx.hub, 'GET', '/api/conversations/room/messages');
    expect(read.body['messages']).toEqual([x['message']]);
  });

  it('treats the same client_msg_id from another agent as a different message', async () => {
    const alice = await agent('alice');
    const bob = await agent('bob');
    const fromAlice = await alice.request({ type: 'send_message', conversation_id: 'room', content: 'hi', client_msg_id: 'k-1' });
    const fromBob = await bob.request({ type: 'send_message', conversation_id: 'room', content: 'hi', client_msg_id: 'k-1' });
    expect([fromAlice, fromBob]).toEqual([
      {
        type: 'ack',
        re: expect.any(String),
        duplicate: false,
        message: storedMessage({ seq: 1, conversation_id: 'room', sender: 'alice', content: 'hi', client_msg_id: 'k-1' }),
      },
      {
        type: 'ack',
        re: expect.any(String),
        duplicate: false,
        message: storedMessage({ seq: 2, conversation_id: 'room', sender: 'bob', content: 'hi', client_msg_id: 'k-1' }),
      },
    ]);
  });
});

describe('direct messages', () => {
  it('reaches every connection of the recipient without a subscription, in conversation dm:alice:bob, and no third agent', async () => {
    const alice = await agent('alice');
    const bobLaptop = await agent('bob');
    const bobPhone = await agent('bob');
    const carol = await agent('carol');
    await carol.request({ type: 'subscribe', conversations: '*' });

    const ack = await alice.request({ type: 'send_message', to: 'bob', content: 'psst' });
    const stored = storedMessage({ conversation_id: 'dm:alice:bob', sender: 'alice', content: 'psst' });
    expect(ack).toEqual({ type: 'ack', re: expect.any(String), duplicate: false, message: stored });
    expect(await Promise.all([bobLaptop.next('new_message'), bobPhone.next('new_message')])).toEqual([
      { type: 'new_message', ...stored },
      { type: 'new_message', ...stored },
    ]);

    // Bob answers with `to`: the same conversation, whichever side writes.
    const answer = await bobPhone.request({ type: 'send_message', to: 'alice', content: 'yes?' });
    expect((answer['message'] as StoredMessage).conversation_id).toBe('dm:alice:bob');

    await api(ctx.hub, 'POST', '/api/messages', { body: { conversation_id: 'public', content: 'marker' } });
    await carol.next((f) => f['content'] === 'marker');
    expect(received(carol).map((f) => f['content'])).toEqual(['marker']);

    const bobsList = await bobLaptop.request({ type: 'list_conversations' });
    expect(bobsList['conversations']).toEqual(
      expect.arrayContaining([
        {
          id: 'dm:alice:bob',
          title: null,
          kind: 'direct',
          members: ['alice', 'bob'],
          created_by: 'alice',
          created_at: expect.any(String),
          last_seq: 2,
          message_count: 2,
          paused: null,
        },
      ]),
    );
    const carolsRead = await carol.request({ type: 'history', conversation_id: 'dm:alice:bob' });
    expect(carolsRead['code']).toBe('SB_ERR_FORBIDDEN');
  });
});

describe('presence', () => {
  it('announces an agent online with its first connection and offline with its last', async () => {
    const watcher = await agent('watcher');
    const subscribed = await watcher.request({ type: 'subscribe', presence: true });
    expect(subscribed).toEqual({ type: 'subscribed', re: expect.any(String), conversations: [], presence: true, tasks: false, last_seq: 0 });

    const aliceToken = await agentToken(ctx.hub, 'alice');
    const first = await openSocket(ctx.hub.wsUrl);
    await first.request({ type: 'hello', token: aliceToken, display_name: 'Alice', kind: 'assistant', capabilities: ['search'] });
    const second = await connectAgent(ctx.hub, 'alice', aliceToken);
    const online = await watcher.next('agent_online');
    expect(online).toEqual({
      type: 'agent_online',
      agent: { id: 'alice', display_name: 'Alice', kind: 'assistant', capabilities: ['search'], online: true, connections: 1, last_seen: expect.any(String) },
    });

    await first.close();
    await eventually(async () => {
      const agents = (await watcher.request({ type: 'list_agents' }))['agents'] as { id: string; connections: number }[];
      return agents.find((a) => a.id === 'alice')?.connections === 1 ? true : undefined;
    }, 'the hub to see alice’s first connection close');
    await second.close();
    const offline = await watcher.next('agent_offline');
    expect(offline).toEqual({
      type: 'agent_offline',
      agent: { id: 'alice', display_name: 'Alice', kind: 'assistant', capabilities: ['search'], online: false, connections: 0, last_seen: expect.any(String) },
    });
    expect(watcher.frames.filter((f) => f.type === 'agent_online' || f.type === 'agent_offline').map((f) => f.type)).toEqual(['agent_online', 'agent_offline']);
  });

  it('stops announcing presence after unsubscribe with presence:true', async () => {
    const watcher = await agent('watcher');
    await watcher.request({ type: 'subscribe', presence: true });
    await agent('alice');
    await watcher.next('agent_online');
    expect(await watcher.request({ type: 'unsubscribe', presence: true })).toEqual({ type: 'unsubscribed', re: expect.any(String), remaining: [] });
    await agent('bob');
    // A round trip after bob is in: any announcement of bob would have arrived before the reply.
    await watcher.request({ type: 'list_agents' });
    expect(watcher.frames.filter((f) => f.type === 'agent_online').map((f) => (f['agent'] as { id: string }).id)).toEqual(['alice']);
  });

  it('lists every agent the hub has seen with online state, connection count and last_seen', async () => {
    const watcher = await agent('watcher');
    const alice = await agent('alice');
    await alice.close();
    const agents = await eventually(async () => {
      const list = (await watcher.request({ type: 'list_agents' }))['agents'] as { id: string; online: boolean; processes: object[] }[];
      const watcherFound = list.find((a) => a.id === 'watcher')?.processes.some((found) => 'pid' in found) === true;
      return list.find((a) => a.id === 'alice')?.online === false && watcherFound ? list : undefined;
    }, 'alice to go offline and the process behind the watcher to be found');
    const seen = { display_name: null, kind: null, capabilities: [], last_seen: expect.any(String), queue_depth: 0, tasks_in_flight: 0 };
    expect(agents).toEqual([
      { id: 'alice', ...seen, online: false, connections: 0, processes: [] },
      { id: 'watcher', ...seen, online: true, connections: 1, processes: [{ pid: process.pid, command: expect.any(String), executable: expect.any(String) }] },
    ]);
    const overHttp = await api(ctx.hub, 'GET', '/api/agents');
    expect(overHttp.body).toEqual({ status: 'ok', agents });
  });
});
