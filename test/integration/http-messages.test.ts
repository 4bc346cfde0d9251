/** The HTTP side: health and WebSocket statistics (seed), messages for agents without a socket, long-poll, errors. */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../shared/index.js';
import { api, useHub } from '../helpers/hub.js';
import { publish, storedMessage } from '../helpers/messages.js';
import { eventually } from '../helpers/wait.js';

const ctx = useHub();

/**
 * Resolves once the hub holds one more long-poll than when this was called: each held poll listens for
 * the hub stopping, so it can answer at once.
 */
function pollHeld(): () => Promise<void> {
  const held = (): number => getEventListeners(ctx.hub.hub.services.lifetime, 'abort').length;
  const before = held();
  return async () => void (await eventually(() => (held() > before ? true : undefined), 'the hub to hold the long-poll'));
}
const { admin } = ctx;

describe('health and statistics', () => {
  it('answers GET /api/health without a token with the seed shape', async () => {
    await admin('alice');
    const health = await api(ctx.hub, 'GET', '/api/health', { token: null });
    expect(health).toEqual({ status: 200, body: { status: 'healthy', connections: 1, database: 'ok', timestamp: expect.any(String) } });
    expect(Date.parse(health.body['timestamp'] as string)).not.toBeNaN();
  });

  it('reports connection statistics on GET /ws/status, with each connection', async () => {
    const alice = await admin('alice');
    await alice.request({ type: 'subscribe', conversations: ['room'] });
    await alice.request({ type: 'send_message', conversation_id: 'room', content: 'hi' });
    const status = await api(ctx.hub, 'GET', '/ws/status');
    expect(status).toEqual({
      status: 200,
      body: {
        status: 'ok',
        database: { state: 'healthy', read_only: false },
        total_connections: 1,
        active_connections: 1,
        total_messages: 1,
        max_connections: 100,
        uptime: expect.any(Number),
        last_seq: 1,
        total_tasks: 0,
        agents_online: 1,
        open_streams: 0,
        commits: expect.any(Object),
        offline_queue: { queued: 0, enqueued: 0, dropped: 0 },
        memory: { rss: expect.any(Number), heap_used: expect.any(Number) },
        frames: { hello: 1, subscribe: 1, send_message: 1 },
        connections: [
          {
            client_id: expect.any(String),
            agent: 'alice',
            connected_at: expect.any(String),
            last_activity: expect.any(String),
            subscriptions: ['room'],
            frames_in: 3,
            frames_out: expect.any(Number),
          },
        ],
      },
    });
  });

  it('lists every registered frame type and the middleware on GET /ws/handlers', async () => {
    expect(await api(ctx.hub, 'GET', '/ws/handlers')).toEqual({
      status: 200,
      body: {
        status: 'ok',
        handlers: [
          'hello',
          'heartbeat',
          'ping',
          'get_status',
          'send_message',
          'send_batch',
          'subscribe',
          'unsubscribe',
          'history',
          'create_conversation',
          'list_conversations',
          'resume_conversation',
          'list_agents',
          'inbox_ack',
          'stream_start',
          'stream_chunk',
          'stream_end',
          'task_send',
          'task_input',
          'task_cancel',
          'task_retry',
          'task_get',
          'task_list',
          'task_accept',
          'task_reject',
          'task_progress',
          'task_input_required',
          'task_result',
          'metrics',
          'text_message',
          'text_reply_chunk',
          'text_reply_end',
        ],
        middleware: ['count', 'auth', 'validate'],
      },
    });
  });

  it('needs a token for /ws/status and /ws/handlers', async () => {
    const refused = { status: 401, body: { status: 'error', error: { code: 'SB_ERR_AUTH', message: 'a token is required' } } };
    expect([await api(ctx.hub, 'GET', '/ws/status', { token: null }), await api(ctx.hub, 'GET', '/ws/handlers', { token: null })]).toEqual([refused, refused]);
  });
});

describe('posting messages over HTTP', () => {
  it('stores a message with 201, delivers it to subscribers, and answers a resend with the same client_msg_id with 200 duplicate', async () => {
    const bob = await admin('bob');
    await bob.request({ type: 'subscribe', conversations: ['room'] });
    const body = { conversation_id: 'room', content: 'over http', message_type: 'insight', payload: { confidence: 0.9 }, client_msg_id: 'h-1' };
    const first = await api(ctx.hub, 'POST', '/api/messages', { body, headers: { 'x-agent-name': 'poller' } });
    const message = storedMessage({
      seq: 1,
      conversation_id: 'room',
      sender: 'poller',
      message_type: 'insight',
      content: 'over http',
      payload: { confidence: 0.9 },
      client_msg_id: 'h-1',
    });
    expect(first).toEqual({ status: 201, body: { status: 'ok', duplicate: false, message } });
    expect(await bob.next('new_message')).toEqual({ type: 'new_message', ...(first.body['message'] as object) });

    const again = await api(ctx.hub, 'POST', '/api/messages', { body, headers: { 'x-agent-name': 'poller' } });
    expect(again).toEqual({ status: 200, body: { status: 'ok', duplicate: true, message: first.body['message'] } });
    const read = await api(ctx.hub, 'GET', '/api/conversations/room/messages');
    expect(read.body['messages']).toEqual([first.body['message']]);
  });

  it('sends a direct message with "to" and creates a members-only conversation with POST /api/conversations', async () => {
    const dm = await api(ctx.hub, 'POST', '/api/messages', { body: { to: 'bob', content: 'hi bob' }, headers: { 'x-agent-name': 'alice' } });
    expect(dm).toEqual({
      status: 201,
      body: { status: 'ok', duplicate: false, message: storedMessage({ conversation_id: 'dm:alice:bob', sender: 'alice', content: 'hi bob' }) },
    });
    const created = await api(ctx.hub, 'POST', '/api/conversations', {
      body: { conversation_id: 'team', title: 'Team', members: ['bob'] },
      headers: { 'x-agent-name': 'alice' },
    });
    const team = {
      id: 'team',
      title: 'Team',
      kind: 'channel',
      members: ['bob'],
      created_by: 'alice',
      created_at: expect.any(String),
      last_seq: 0,
      message_count: 0,
      paused: null,
    };
    expect(created).toEqual({ status: 201, body: { status: 'ok', created: true, conversation: team } });
    const repeated = await api(ctx.hub, 'POST', '/api/conversations', { body: { conversation_id: 'team', title: 'Other' } });
    expect(repeated).toEqual({ status: 200, body: { status: 'ok', created: false, conversation: team } });
  });
});

describe('reading a conversation over HTTP', () => {
  it('pages forwards with since and limit, giving next_since for the following page', async () => {
    const alice = await admin('alice');
    await publish(alice, 'room', 7, (i) => `r${i + 1}`);
    await publish(alice, 'elsewhere', 2);
    const read = async (query: string): Promise<{ contents: string[]; next_since: unknown }> => {
      const { status, body } = await api(ctx.hub, 'GET', `/api/conversations/room/messages?${query}`);
      expect(status).toBe(200);
      return { contents: (body['messages'] as StoredMessage[]).map((m) => m.content), next_since: body['next_since'] };
    };
    expect([await read('since=0&limit=3'), await read('since=3&limit=3'), await read('since=6&limit=3'), await read('since=7&limit=3')]).toEqual([
      { contents: ['r1', 'r2', 'r3'], next_since: 3 },
      { contents: ['r4', 'r5', 'r6'], next_since: 6 },
      { contents: ['r7'], next_since: 7 },
      { contents: [], next_since: 7 },
    ]);
  });

  it('pages backwards with before and limit, giving next_before for the older page', async () => {
    const alice = await admin('alice');
    await publish(alice, 'room', 5, (i) => `r${i + 1}`);
    const read = async (query: string): Promise<{ contents: string[]; next_before: unknown }> => {
      const { body } = await api(ctx.hub, 'GET', `/api/conversations/room/messages?${query}`);
      return { contents: (body['messages'] as StoredMessage[]).map((m) => m.content), next_before: body['next_before'] };
    };
    const newest = await read('before=1000000&limit=2');
    const older = await read(`before=${String(newest.next_before)}&limit=2`);
    const oldest = await read(`before=${String(older.next_before)}&limit=2`);
    const beyond = await read(`before=${String(oldest.next_before)}&limit=2`);
    expect([newest, older, oldest, beyond]).toEqual([
      { contents: ['r4', 'r5'], next_before: 4 },
      { contents: ['r2', 'r3'], next_before: 2 },
      { contents: ['r1'], next_before: 1 },
      { contents: [], next_before: null },
    ]);
  });

  it('holds a long-poll with wait until a message arrives, then returns it', async () => {
    const alice = await admin('alice');
    await alice.request({ type: 'send_message', conversation_id: 'room', content: 'already read' });
    const held = pollHeld();
    const polling = api(ctx.hub, 'GET', '/api/conversations/room/messages?since=1&wait=5');
    await held();
    await alice.request({ type: 'send_message', conversation_id: 'room', content: 'arrived' });
    expect(await polling).toEqual({
      status: 200,
      body: {
        status: 'ok',
        conversation_id: 'room',
        messages: [storedMessage({ seq: 2, conversation_id: 'room', sender: 'alice', content: 'arrived' })],
        next_since: 2,
      },
    });
  });

  it('ignores messages in other conversations while long-polling', async () => {
    const alice = await admin('alice');
    const held = pollHeld();
    const polling = api(ctx.hub, 'GET', '/api/conversations/quiet/messages?wait=5');
    await held();
    await alice.request({ type: 'send_message', conversation_id: 'noisy', content: 'not for you' });
    await alice.request({ type: 'send_message', conversation_id: 'quiet', content: 'for you' });
    expect(((await polling).body['messages'] as StoredMessage[]).map((m) => m.content)).toEqual(['for you']);
  });

  it('returns an empty page after the wait when nothing arrives', async () => {
    expect(await api(ctx.hub, 'GET', '/api/conversations/quiet/messages?since=0&wait=1')).toEqual({
      status: 200,
      body: { status: 'ok', conversation_id: 'quiet', messages: [], next_since: 0 },
    });
  });

  it('answers a pending long-poll with an empty page when the hub stops', async () => {
    const held = pollHeld();
    const polling = fetch(`${ctx.hub.http}/api/conversations/quiet/messages?wait=30`, { headers: { authorization: `Bearer ${ctx.hub.token}` } }).then(
      async (response) => ({ status: response.status, body: (await response.json()) as unknown }),
      (error: unknown) => ({ error: String(error) }),
    );
    await held();
    await ctx.hub.stop();
    expect(await polling).toEqual({ status: 200, body: { status: 'ok', conversation_id: 'quiet', messages: [], next_since: 0 } });
  });
});

describe('HTTP errors', () => {
  const validation = (message: string) => ({ status: 400, body: { status: 'error', error: { code: 'SB_ERR_VALIDATION', message } } });

  it('answers an invalid message body with 400 SB_ERR_VALIDATION naming the field', async () => {
    expect([
      await api(ctx.hub, 'POST', '/api/messages', { body: { conversation_id: 'room' } }),
      await api(ctx.hub, 'POST', '/api/messages', { body: { conversation_id: 'room', content: 42 } }),
      await api(ctx.hub, 'POST', '/api/messages', { body: { conversation_id: 'room', to: 'bob', content: 'both' } }),
    ]).toEqual([
      validation('invalid message: content: Invalid input: expected string, received undefined'),
      validation('invalid message: content: Invalid input: expected string, received number'),
      validation('invalid message: conversation_id: give exactly one of "conversation_id" or "to"'),
    ]);
  });

  it('answers an invalid read query with 400 SB_ERR_VALIDATION naming the parameter', async () => {
    const [limit, since, wait] = await Promise.all([
      api(ctx.hub, 'GET', '/api/conversations/room/messages?limit=0'),
      api(ctx.hub, 'GET', '/api/conversations/room/messages?since=abc'),
      api(ctx.hub, 'GET', '/api/conversations/room/messages?wait=31'),
    ]);
    expect([limit, since, wait]).toEqual([
      validation(expect.stringMatching(/^invalid query: limit: /) as unknown as string),
      validation(expect.stringMatching(/^invalid query: since: /) as unknown as string),
      validation(expect.stringMatching(/^invalid query: wait: /) as unknown as string),
    ]);
  });

  it('answers a body that is not JSON with 400 SB_ERR_BAD_JSON', async () => {
    expect(await api(ctx.hub, 'POST', '/api/messages', { body: '{"conversation_id": "room", ' })).toEqual({
      status: 400,
      body: { status: 'error', error: { code: 'SB_ERR_BAD_JSON', message: 'the request body is not valid JSON' } },
    });
  });

  it('answers an unknown path with 404 JSON and a wrong method with 405 JSON', async () => {
    expect([await api(ctx.hub, 'GET', '/api/nothing-here'), await api(ctx.hub, 'DELETE', '/api/messages')]).toEqual([
      { status: 404, body: { status: 'error', error: { code: 'SB_ERR_NOT_FOUND', message: 'no endpoint GET /api/nothing-here' } } },
      { status: 405, body: { status: 'error', error: { code: 'SB_ERR_METHOD', message: 'DELETE is not allowed on /api/messages' } } },
    ]);
  });
});
