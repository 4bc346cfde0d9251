/** HTTP requests that never arrive whole are closed after the request timeout; answers that take long (long-polls) are not cut. */
import { afterEach, describe, expect, it } from 'vitest';
import { api, startHub, type TestHub } from '../helpers/hub.js';
import { sendAndHold } from '../helpers/raw-http.js';

describe('request timeout', () => {
  let hub: TestHub | undefined;
  afterEach(async () => {
    await hub?.stop();
    hub = undefined;
  });

  it('closes a POST whose body never arrives (Content-Length larger than what is sent) after requestTimeoutMs, storing nothing', async () => {
    const h = (hub = await startHub({ requestTimeoutMs: 1000 }));
    const head = [
      'POST /api/messages HTTP/1.1',
      `Host: 127.0.0.1:${h.port}`,
      `Authorization: Bearer ${h.token}`,
      'Content-Type: application/json',
      'Content-Length: 1000',
      '',
      '',
    ].join('\r\n');
    const held = await sendAndHold(h.port, `${head}{"conversation_id":"general",`);
    const stored = await api(h, 'GET', '/api/conversations/general/messages?since=0');
    expect({ answered: held.received, stored: stored.body['messages'] }).toEqual({ answered: '', stored: [] });
  });

  it('closes a request whose headers never end after requestTimeoutMs', async () => {
    const h = (hub = await startHub({ requestTimeoutMs: 1000 }));
    const held = await sendAndHold(h.port, `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\nX-Slow: `);
    expect(held.received).toBe('');
  });

  it('does not cut a long-poll that waits longer than requestTimeoutMs for its answer', async () => {
    const h = (hub = await startHub({ requestTimeoutMs: 1000 }));
    const poll = api(h, 'GET', '/api/conversations/general/messages?since=0&wait=3');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const sent = await api(h, 'POST', '/api/messages', { body: { conversation_id: 'general', content: 'worth the wait' } });
    const answer = await poll;
    expect({ sent: sent.status, status: answer.status, messages: (answer.body['messages'] as { content: string }[]).map((m) => m.content) }).toEqual({
      sent: 201,
      status: 200,
      messages: ['worth the wait'],
    });
  });
});
