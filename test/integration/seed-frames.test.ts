/**
 * The seed's frames, exactly as the original clients send them: no request id, a token on the upgrade
 * request (the seed's client never sends hello), and replies compared key for key.
 */
import { describe, expect, it } from 'vitest';
import { api, openSocket, useHub, type TestClient } from '../helpers/hub.js';

describe('seed frames', () => {
  const ctx = useHub();

  /** Connects the way the seed's client does: a plain socket, authenticated by the upgrade request. */
  const seedClient = async (agent: string): Promise<{ client: TestClient; clientId: string }> => {
    const client = ctx.track(await openSocket(ctx.hub.wsUrl, { headers: { authorization: `Bearer ${ctx.hub.token}`, 'x-agent-name': agent } }));
    const welcome = await client.next('welcome');
    return { client, clientId: welcome['client_id'] as string };
  };

  it('answers heartbeat with heartbeat_response echoing the timestamp and naming the client', async () => {
    const { client, clientId } = await seedClient('seed');
    client.send({ type: 'heartbeat', timestamp: 1234567890.123 });
    expect(await client.next('heartbeat_response')).toEqual({ type: 'heartbeat_response', timestamp: 1234567890.123, client_id: clientId });
  });

  it('answers ping with pong echoing the timestamp and naming the client', async () => {
    const { client, clientId } = await seedClient('seed');
    client.send({ type: 'ping', timestamp: 1234567890.123 });
    expect(await client.next('pong')).toEqual({ type: 'pong', timestamp: 1234567890.123, client_id: clientId });
  });

  it('answers a heartbeat without a timestamp with the hub time in epoch seconds', async () => {
    const { client, clientId } = await seedClient('seed');
    const before = Date.now() / 1000;
    client.send({ type: 'heartbeat' });
    const response = await client.next('heartbeat_response');
    expect(response).toEqual({ type: 'heartbeat_response', timestamp: expect.any(Number), client_id: clientId });
    expect(response['timestamp']).toBeGreaterThanOrEqual(Math.floor(before));
  });

  it('answers get_status with status_response carrying exactly the five seed statistics', async () => {
    const { client, clientId } = await seedClient('seed');
    await ctx.admin('other');
    await api(ctx.hub, 'POST', '/api/messages', { body: { conversation_id: 'general', content: 'one' } });
    // A socket that has not said hello yet counts as a connection but not as an active one.
    ctx.track(await openSocket(ctx.hub.wsUrl));
    client.send({ type: 'get_status', timestamp: 1234567890.123 });
    const response = await client.next('status_response');
    expect(response).toEqual({
      type: 'status_response',
      data: { total_connections: 3, active_connections: 2, total_messages: 1, max_connections: 100, uptime: expect.any(Number) },
      timestamp: expect.any(Number),
      client_id: clientId,
    });
    expect(Object.keys(response['data'] as object).sort()).toEqual(['active_connections', 'max_connections', 'total_connections', 'total_messages', 'uptime']);
  });

  it('stores send_message with the integer conversation_id 1, acknowledges it after storage and delivers new_message to every subscriber', async () => {
    const { client: sender } = await seedClient('ai-1');
    const { client: byId } = await seedClient('ai-2');
    const { client: everything } = await seedClient('dashboard');
    const { client: elsewhere } = await seedClient('ai-3');
    byId.send({ type: 'subscribe', conversations: [1] });
    everything.send({ type: 'subscribe', conversations: '*' });
    elsewhere.send({ type: 'subscribe', conversations: [2] });
    await Promise.all([byId.next('subscribed'), everything.next('subscribed'), elsewhere.next('subscribed')]);

    sender.send({ type: 'send_message', conversation_id: 1, message_type: 'message', content: 'Hello!' });
    const ack = await sender.next('ack');
    const stored = { id: 'm_1', seq: 1, conversation_id: '1', sender: 'ai-1', message_type: 'message', content: 'Hello!', created_at: expect.any(String) };
    expect(ack).toEqual({ type: 'ack', duplicate: false, message: stored });
    // Acknowledged means stored: it can be read back at once.
    const read = await api(ctx.hub, 'GET', '/api/conversations/1/messages?since=0');
    expect(read.body['messages']).toEqual([{ ...stored, created_at: (ack['message'] as { created_at: string }).created_at }]);

    const delivered = await Promise.all([byId.next('new_message'), everything.next('new_message')]);
    expect(delivered).toEqual([
      { type: 'new_message', ...stored },
      { type: 'new_message', ...stored },
    ]);
    expect(Object.keys(delivered[0]).sort()).toEqual(['content', 'conversation_id', 'created_at', 'id', 'message_type', 'sender', 'seq', 'type']);
    expect(Date.parse(delivered[0]['created_at'] as string)).not.toBeNaN();

    // The sender did not subscribe and the other subscriber watches conversation 2: neither gets it.
    const marker = await api(ctx.hub, 'POST', '/api/messages', { body: { conversation_id: 2, content: 'marker' } });
    await elsewhere.next('new_message');
    expect(marker.status).toBe(201);
    expect(elsewhere.frames.filter((f) => f.type === 'new_message').map((f) => f['content'])).toEqual(['marker']);
    expect(sender.frames.filter((f) => f.type === 'new_message')).toEqual([]);
  });

  it('accepts send_message without a message_type and stores it as "message"', async () => {
    const { client } = await seedClient('ai-1');
    client.send({ type: 'send_message', conversation_id: 1, content: 'Hello' });
    expect(await client.next('ack')).toEqual({
      type: 'ack',
      duplicate: false,
      message: { id: 'm_1', seq: 1, conversation_id: '1', sender: 'ai-1', message_type: 'message', content: 'Hello', created_at: expect.any(String) },
    });
  });
});
