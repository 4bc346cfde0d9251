/** The SDK's one-line `text_message` answerer, end to end with a seed-style asker on a raw socket. */
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Agent } from '../../sdk/index.js';
import { openSocket, useHub, type Frame, type TestClient } from '../helpers/hub.js';

describe('agent.answerTextMessages', () => {
  const ctx = useHub();
  const agents: Agent[] = [];
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((agent) => agent.close()));
  });

  const answeringAgent = async (): Promise<Agent> => {
    const agent = await connect({
      url: ctx.hub.wsUrl,
      token: ctx.hub.token,
      agent: 'chat-engine',
      stateDir: false,
      profile: { capabilities: ['text_message'] },
    });
    agents.push(agent);
    return agent;
  };

  const seedAsker = async (): Promise<TestClient> => {
    const asker = ctx.track(await openSocket(`ws://127.0.0.1:${ctx.hub.port}/ws/chat`, { headers: { authorization: `Bearer ${ctx.hub.token}` } }));
    await asker.next('welcome');
    return asker;
  };

  /** The frames the asker got for its question, up to the one that ends it. */
  const answerFrames = async (asker: TestClient): Promise<Frame[]> => {
    await asker.next((f) => f.type === 'stream_end' || f.type === 'error', { timeoutMs: 10_000 });
    return asker.frames.filter((f) => ['processing_start', 'stream_start', 'stream_chunk', 'stream_end', 'error'].includes(f.type));
  };

  it('streams what the handler writes to a seed asker, chunk by chunk, ending with full_content', async () => {
    const agent = await answeringAgent();
    agent.answerTextMessages(async (text, reply) => {
      reply.write('You said: ');
      reply.write(text);
      await reply.end();
    });
    const asker = await seedAsker();
    asker.send({ type: 'text_message', content: 'Hello, how are you?', stream: true });
    const frames = await answerFrames(asker);
    expect(frames.map((f) => [f.type, f['content'] ?? f['full_content'] ?? null])).toEqual([
      ['processing_start', null],
      ['stream_start', null],
      ['stream_chunk', 'You said: '],
      ['stream_chunk', 'Hello, how are you?'],
      ['stream_end', 'You said: Hello, how are you?'],
    ]);
  });

  it('answers with the string the handler returns, in one piece', async () => {
    const agent = await answeringAgent();
    agent.answerTextMessages((text) => Promise.resolve(text.toUpperCase()));
    const asker = await seedAsker();
    asker.send({ type: 'text_message', content: 'shout' });
    const frames = await answerFrames(asker);
    expect(frames.at(-1)).toMatchObject({ type: 'stream_end', full_content: 'SHOUT' });
  });

  it('turns a handler that throws into an SB_ERR_ANSWER_FAILED error for the asker, and goes on answering', async () => {
    const agent = await answeringAgent();
    let calls = 0;
    agent.answerTextMessages((text) => {
      calls++;
      if (calls === 1) throw new Error('the model is overloaded');
      return `ok: ${text}`;
    });
    const asker = await seedAsker();
    asker.send({ type: 'text_message', content: 'first' });
    expect(await asker.next('error', { timeoutMs: 10_000 })).toMatchObject({
      code: 'SB_ERR_ANSWER_FAILED',
      message: 'the agent answering ("chat-engine") could not: the model is overloaded',
    });
    asker.send({ type: 'text_message', content: 'second' });
    expect(await asker.next('stream_end', { timeoutMs: 10_000 })).toMatchObject({ full_content: 'ok: second' });
  });

  it('refuses to answer without the capability declared when connecting, saying how to declare it', async () => {
    const agent = await connect({ url: ctx.hub.wsUrl, token: ctx.hub.token, agent: 'plain', stateDir: false });
    agents.push(agent);
    expect(() => agent.answerTextMessages(() => 'never')).toThrow("connect({ profile: { capabilities: ['text_message'] } })");
  });
});
