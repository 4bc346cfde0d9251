/**
 * `text_message` (the chat backend seed): a seed-style asker with a token header gets the streamed answer
 * of an online agent that declared the capability, in the seed's frames, or an error at once.
 */
import { describe, expect, it } from 'vitest';
import { openSocket, useHub, type TestClient } from '../helpers/hub.js';

describe('text_message', () => {
  const ctx = useHub();

  /** Connects the way the chat backend's client does: at `/`, with only a token header added. */
  const seedAsker = async (): Promise<{ asker: TestClient; clientId: string }> => {
    const asker = ctx.track(
      await openSocket(`ws://127.0.0.1:${ctx.hub.port}/`, { headers: { authorization: `Bearer ${ctx.hub.token}`, 'x-agent-name': 'yychat-client' } }),
    );
    const welcome = await asker.next('welcome');
    return { asker, clientId: welcome['client_id'] as string };
  };

  /** A raw agent that declared the text_message capability in its hello. */
  const answerer = async (name: string): Promise<TestClient> => {
    const client = ctx.track(await openSocket(ctx.hub.wsUrl));
    const welcome = await client.request({ type: 'hello', token: ctx.hub.token, agent: name, capabilities: ['text_message'] });
    expect(welcome.type).toBe('welcome');
    return client;
  };

  it('routes a seed text_message to the agent that declared the capability and relays its streamed answer back in the seed frames', async () => {
    const bot = await answerer('bot');
    const { asker, clientId } = await seedAsker();
    asker.send({
      type: 'text_message',
      content: 'Hello, how are you?',
      conversation_id: 'c-7',
      personality_id: 'friendly',
      use_tools: true,
      stream: true,
      timestamp: 1234567890.123,
    });

    const question = await bot.next('text_message');
    expect(question).toEqual({
      type: 'text_message',
      text_id: expect.stringMatching(/^tm_/),
      from: 'yychat-client',
      content: 'Hello, how are you?',
      conversation_id: 'c-7',
      personality_id: 'friendly',
      use_tools: true,
      stream: true,
    });
    const textId = question['text_id'];
    bot.send({ type: 'text_reply_chunk', text_id: textId, content: "Hello! I'm doing well, " });
    bot.send({ type: 'text_reply_chunk', text_id: textId, content: 'thank you for asking.' });
    expect(await bot.request({ type: 'text_reply_end', text_id: textId })).toMatchObject({ type: 'ack', text_id: textId });

    const seen = { timestamp: expect.any(Number), client_id: clientId, text_id: textId };
    expect(await asker.next('processing_start')).toEqual({ type: 'processing_start', answered_by: 'bot', ...seen });
    expect(await asker.next('stream_start')).toEqual({ type: 'stream_start', ...seen });
    expect(await asker.next('stream_chunk')).toEqual({ type: 'stream_chunk', content: "Hello! I'm doing well, ", ...seen });
    expect(await asker.next('stream_chunk')).toEqual({ type: 'stream_chunk', content: 'thank you for asking.', ...seen });
    expect(await asker.next('stream_end')).toEqual({ type: 'stream_end', full_content: "Hello! I'm doing well, thank you for asking.", ...seen });
  });

  it('answers a text_message at once with SB_ERR_NO_ANSWERER when no agent that answers is online, and keeps the connection open', async () => {
    await ctx.admin('not-an-answerer');
    const { asker } = await seedAsker();
    const refusal = await asker.request({ type: 'text_message', content: 'anyone?' });
    expect(refusal).toEqual({
      type: 'error',
      code: 'SB_ERR_NO_ANSWERER',
      message: expect.stringContaining('"capabilities": ["text_message"]'),
      re: refusal['re'],
    });
    expect((await asker.request({ type: 'ping' })).type).toBe('pong');
  });

  it('tells the asker with an error frame when the answering agent disconnects mid-answer, and the next question goes to another answerer', async () => {
    const first = await answerer('bot-1');
    const { asker } = await seedAsker();
    asker.send({ type: 'text_message', id: 'q1', content: 'tell me a story' });
    const question = await first.next('text_message');
    first.send({ type: 'text_reply_chunk', text_id: question['text_id'], content: 'Once upon' });
    await asker.next('stream_chunk');
    const second = await answerer('bot-2');
    await first.close();
    expect(await asker.next('error')).toEqual({
      type: 'error',
      code: 'SB_ERR_NO_ANSWERER',
      message: 'the agent answering ("bot-1") disconnected after 9 characters of its answer; ask again',
      text_id: question['text_id'],
      re: 'q1',
    });
    asker.send({ type: 'text_message', content: 'again please' });
    expect(await second.next('text_message')).toMatchObject({ content: 'again please' });
  });

  it('tells an asker watching presence that its question failed before it hears that the answering agent went offline', async () => {
    const bot = await answerer('bot');
    const { asker } = await seedAsker();
    expect((await asker.request({ type: 'subscribe', presence: true })).type).toBe('subscribed');
    asker.send({ type: 'text_message', content: 'still there?' });
    await bot.next('text_message');
    await bot.close();
    await asker.next((f) => f.type === 'agent_offline' && (f['agent'] as { id: string }).id === 'bot');
    const order = asker.frames.filter((f) => f.type === 'error' || f.type === 'agent_offline').map((f) => f['code'] ?? f.type);
    expect(order).toEqual(['SB_ERR_NO_ANSWERER', 'agent_offline']);
  });

  it('passes an answering agent’s failure to the asker as SB_ERR_ANSWER_FAILED', async () => {
    const bot = await answerer('bot');
    const { asker } = await seedAsker();
    asker.send({ type: 'text_message', content: 'divide by zero' });
    const question = await bot.next('text_message');
    bot.send({ type: 'text_reply_end', text_id: question['text_id'], error: 'the model is overloaded' });
    expect(await asker.next('error')).toMatchObject({
      code: 'SB_ERR_ANSWER_FAILED',
      message: 'the agent answering ("bot") could not: the model is overloaded',
    });
  });

  it('spreads questions over the answering agents, each to the least busy one', async () => {
    const bots = [await answerer('bot-a'), await answerer('bot-b')];
    const { asker } = await seedAsker();
    asker.send({ type: 'text_message', content: 'one' });
    asker.send({ type: 'text_message', content: 'two' });
    const got = await Promise.all(bots.map((bot) => bot.next('text_message')));
    expect(got.map((q) => q['content']).sort()).toEqual(['one', 'two']);
  });

  it('refuses an answer from a connection the question was not sent to', async () => {
    const bot = await answerer('bot');
    const intruder = await ctx.admin('intruder');
    const { asker } = await seedAsker();
    asker.send({ type: 'text_message', content: 'hi' });
    const question = await bot.next('text_message');
    const refused = await intruder.request({ type: 'text_reply_end', text_id: question['text_id'], full_content: 'not mine to give' });
    expect(refused).toMatchObject({ type: 'error', code: 'SB_ERR_STREAM' });
    bot.send({ type: 'text_reply_end', text_id: question['text_id'], full_content: 'hello' });
    expect(await asker.next('stream_end')).toMatchObject({ full_content: 'hello' });
  });

  it('tells the answering agent with text_cancelled when the asker disconnects before the answer', async () => {
    const bot = await answerer('bot');
    const { asker } = await seedAsker();
    asker.send({ type: 'text_message', content: 'bye' });
    const question = await bot.next('text_message');
    await asker.close();
    expect(await bot.next('text_cancelled')).toEqual({ type: 'text_cancelled', text_id: question['text_id'], reason: 'the asker disconnected' });
  });
});
