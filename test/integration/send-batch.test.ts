/**
 * `send_batch` over a real socket, and the SDK coalescing the sends of one turn into it: each message is
 * stored, refused or found a duplicate on its own, acknowledged in order after the commit, and delivered
 * to subscribers as if it had come alone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Agent, type HubError } from '../../sdk/index.js';
import { MAX_BATCH_MESSAGES, type StoredMessage } from '../../shared/index.js';
import { agentToken, api, useHub } from '../helpers/hub.js';
import { received, storedMessage, storedMessages } from '../helpers/messages.js';
import { eventually } from '../helpers/wait.js';

const ctx = useHub();
const agents: Agent[] = [];

afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.close();
});

/** Frames of each type the hub has handled, from GET /ws/status. */
async function framesHandled(): Promise<Record<string, number>> {
  const { body } = await api(ctx.hub, 'GET', '/ws/status');
  return body['frames'] as Record<string, number>;
}

describe('send_batch', () => {
  it('stores every good message in order and answers each one in its place: stored, duplicate or refused', async () => {
    const alice = await ctx.agent('alice');
    const bob = await ctx.agent('bob');
    await ctx.admin('admin').then((admin) => admin.request({ type: 'create_conversation', conversation_id: 'private', members: ['bob'] }));
    await bob.request({ type: 'subscribe', conversations: ['general'] });
    const first = await alice.request({ type: 'send_message', conversation_id: 'general', content: 'sent before', client_msg_id: 'c-1' });

    const ack = await alice.request({
      type: 'send_batch',
      messages: [
        { conversation_id: 'general', content: 'one' },
        { conversation_id: 'general', content: 'again', client_msg_id: 'c-1' },
        { conversation_id: 'general', content: 42 },
        { conversation_id: 'private', content: 'not a member' },
        { to: 'bob', content: 'direct', payload: { n: 1 } },
        { conversation_id: 'general', content: 'two', message_type: 'insight' },
      ],
    });

    expect(ack).toEqual({
      type: 'batch_ack',
      re: expect.any(String),
      results: [
        { duplicate: false, message: storedMessage({ conversation_id: 'general', sender: 'alice', content: 'one' }) },
        { duplicate: true, message: first['message'] },
        { error: { code: 'SB_ERR_VALIDATION', message: 'invalid message 2 of the batch: content: Invalid input: expected string, received number' } },
        { error: { code: 'SB_ERR_FORBIDDEN', message: 'agent "alice" is not a member of conversation "private"' } },
        { duplicate: false, message: storedMessage({ conversation_id: 'dm:alice:bob', sender: 'alice', content: 'direct', payload: { n: 1 } }) },
        { duplicate: false, message: storedMessage({ conversation_id: 'general', sender: 'alice', content: 'two', message_type: 'insight' }) },
      ],
    });
    const results = ack['results'] as { message: StoredMessage }[];
    const seqs = [0, 4, 5].map((i) => (results[i] as { message: StoredMessage }).message.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    await eventually(() => (received(bob, 'general').length === 3 ? true : undefined), 'three messages at bob');
    expect(received(bob, 'general').map((f) => f['content'])).toEqual(['sent before', 'one', 'two']);
    expect((await storedMessages(ctx.hub, 'general')).map((m) => m.content)).toEqual(['sent before', 'one', 'two']);
  });

  it('refuses a batch that is empty or longer than the limit as a whole, and keeps the connection usable', async () => {
    const alice = await ctx.agent('alice');
    const empty = await alice.request({ type: 'send_batch', messages: [] });
    const tooLong = await alice.request({
      type: 'send_batch',
      messages: Array.from({ length: MAX_BATCH_MESSAGES + 1 }, () => ({ conversation_id: 'general', content: 'x' })),
    });
    const notAList = await alice.request({ type: 'send_batch', messages: { conversation_id: 'general', content: 'x' } });
    expect([empty, tooLong, notAList].map((f) => [f.type, f['code']])).toEqual([
      ['error', 'SB_ERR_VALIDATION'],
      ['error', 'SB_ERR_VALIDATION'],
      ['error', 'SB_ERR_VALIDATION'],
    ]);
    expect(empty['message']).toContain('messages');
    expect(await storedMessages(ctx.hub, 'general')).toEqual([]);
    const ok = await alice.request({ type: 'send_batch', messages: [{ conversation_id: 'general', content: 'still here' }] });
    expect(ok['results']).toEqual([{ duplicate: false, message: storedMessage({ conversation_id: 'general', sender: 'alice', content: 'still here' }) }]);
  });

  it('tells every client how many messages a batch may carry', async () => {
    const alice = await ctx.agent('alice');
    const welcome = alice.frames.find((f) => f.type === 'welcome');
    expect((welcome?.['limits'] as Record<string, unknown>)['max_batch_messages']).toBe(MAX_BATCH_MESSAGES);
  });
});

describe('the SDK coalesces the sends of one turn', () => {
  async function sdkAgent(name: string): Promise<Agent> {
    const agent = await connect({ url: ctx.hub.wsUrl, token: await agentToken(ctx.hub, name), stateDir: false, outboxCapacity: 5000 });
    agents.push(agent);
    return agent;
  }

  it('sends 2,500 messages made in one loop as three batches (the hub’s limit is 1,000), resolving each send with its own stored message', async () => {
    const agent = await sdkAgent('planner');
    const sends = Array.from({ length: 2500 }, (_, i) => agent.send('burst', `n${i}`));
    const stored = await Promise.all(sends);
    expect(stored.map((m) => m.content)).toEqual(Array.from({ length: 2500 }, (_, i) => `n${i}`));
    expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: 2500 }, (_, i) => (stored[0] as StoredMessage).seq + i));
    expect((await storedMessages(ctx.hub, 'burst')).length).toBe(2500);
    const frames = await framesHandled();
    expect({ batches: frames['send_batch'], single: frames['send_message'] ?? 0 }).toEqual({ batches: 3, single: 0 });
    expect(agent.outboxSize).toBe(0);
    // Ids that sort as they were made keep the hub's (sender, client_msg_id) index growing at one edge.
    const ids = stored.map((m) => m.client_msg_id as string);
    expect({ sorted: [...ids].sort(), unique: new Set(ids).size }).toEqual({ sorted: ids, unique: 2500 });
  });

  it('rejects only the refused send of a batch; the others are stored', async () => {
    const agent = await sdkAgent('planner');
    await api(ctx.hub, 'POST', '/api/conversations', { body: { conversation_id: 'closed', members: ['someone-else'] } });
    const outcomes = await Promise.allSettled([agent.send('open', 'a'), agent.send('closed', 'b'), agent.send('open', 'c')]);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value.content : (o.reason as HubError).code))).toEqual(['a', 'SB_ERR_FORBIDDEN', 'c']);
    expect((await storedMessages(ctx.hub, 'open')).map((m) => m.content)).toEqual(['a', 'c']);
    expect((await framesHandled())['send_batch']).toBe(1);
  });

  it('sends a lone send as a plain send_message', async () => {
    const agent = await sdkAgent('planner');
    await agent.send('general', 'alone');
    await agent.send('general', 'alone too');
    const frames = await framesHandled();
    expect({ batches: frames['send_batch'] ?? 0, single: frames['send_message'] }).toEqual({ batches: 0, single: 2 });
  });
});
