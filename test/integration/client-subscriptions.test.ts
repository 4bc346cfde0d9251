/** Several subscriptions on one client connection: closing one never silences another. */
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Agent, type StoredMessage } from '../../sdk/index.js';
import { agentToken, useHub } from '../helpers/hub.js';
import { FAST } from '../helpers/sdk.js';
import { eventually } from '../helpers/wait.js';

describe('closing one of several subscriptions', () => {
  const ctx = useHub();
  const agents: Agent[] = [];
  const agent = async (name: string): Promise<Agent> => {
    const a = await connect({ url: ctx.hub.wsUrl, token: await agentToken(ctx.hub, name), agent: name, stateDir: false, reconnect: FAST });
    agents.push(a);
    return a;
  };
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.close()));
  });

  /** Opens both subscriptions, closes the first once the hub has them, then a message goes to `conversation`: what did the second get? */
  async function keptGets(first: string[] | '*', second: string[] | '*', conversation: string): Promise<string[]> {
    const watcher = await agent('watcher');
    const got: string[] = [];
    const closing = watcher.subscribe(first, () => undefined);
    watcher.subscribe(second, (m: StoredMessage) => got.push(m.content));
    // A round trip after the subscribes: the hub has handled them before the close is sent.
    await watcher.request({ type: 'ping' });
    closing.close();
    await watcher.request({ type: 'ping' });
    await (await agent('sender')).send(conversation, `to ${conversation}`);
    return eventually(() => (got.length > 0 ? got : undefined), `the kept subscription to get the message in ${conversation}`);
  }

  it('keeps a wildcard subscription when a subscription to one conversation closes', async () => {
    expect(await keptGets(['general'], '*', 'general')).toEqual(['to general']);
  });

  it('keeps a conversation another subscription still wants', async () => {
    expect(await keptGets(['a', 'b'], ['b'], 'b')).toEqual(['to b']);
  });

  it('keeps subscriptions to single conversations when the wildcard closes', async () => {
    expect(await keptGets('*', ['general'], 'general')).toEqual(['to general']);
  });
});
