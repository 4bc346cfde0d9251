import { afterEach, describe, expect, it } from 'vitest';
import { connectAgent, startHub, type TestHub } from '../helpers/hub.js';

describe('hub smoke', () => {
  let hub: TestHub;
  afterEach(async () => hub.stop());

  it('acknowledges a stored message and delivers it to a subscriber', async () => {
    hub = await startHub();
    const alice = await connectAgent(hub, 'alice');
    const bob = await connectAgent(hub, 'bob');
    await bob.request({ type: 'subscribe', conversations: ['general'] });
    const ack = await alice.request({ type: 'send_message', conversation_id: 'general', content: 'Hello!' });
    const delivered = await bob.next('new_message');
    expect(ack).toMatchObject({ type: 'ack', message: { seq: 1, content: 'Hello!', sender: 'alice' } });
    expect(delivered).toMatchObject({ type: 'new_message', seq: 1, conversation_id: 'general', content: 'Hello!', sender: 'alice' });
    await alice.close();
    await bob.close();
  });
});
