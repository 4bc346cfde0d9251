/**
 * The MCP interface over both transports — Streamable HTTP at /mcp and `switchboard mcp` on stdio — with
 * the official SDK's Client against a real hub, and SDK agents on the other side of every exchange.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Agent, type Frame } from '../../sdk/index.js';
import type { StoredMessage, TaskRecord } from '../../shared/index.js';
import { startHub, type TestHub } from '../helpers/hub.js';
import { hubHandles, mcpOverHttp, mcpOverStdio, type TestMcp } from '../helpers/mcp.js';
import { eventually } from '../helpers/wait.js';

const TOOLS = [
  'answer_task',
  'ask_for_input',
  'finish_task',
  'get_task',
  'list_agents',
  'list_conversations',
  'read_messages',
  'report_interaction',
  'report_progress',
  'send_message',
  'send_task',
  'take_task',
  'wait_for_messages',
];

type Open = (hub: TestHub, as?: { name?: string; agent?: string }) => Promise<TestMcp>;

const transports: [string, Open][] = [
  [
    'Streamable HTTP',
    (hub, as = {}) =>
      mcpOverHttp(hub, { ...(as.name === undefined ? {} : { name: as.name }), ...(as.agent === undefined ? {} : { query: `?agent=${as.agent}` }) }),
  ],
  ['stdio', (hub, as = {}) => mcpOverStdio(hub.dataDir, as.agent === undefined ? [] : ['--agent', as.agent], as.name === undefined ? {} : { name: as.name })],
];

describe.each(transports)('MCP over %s', (_, openMcp) => {
  let hub: TestHub;
  const opened: TestMcp[] = [];
  const agents: Agent[] = [];

  beforeEach(async () => {
    // Offers wait in an MCP session's inbox until a tool takes them, for the lease less a margin: leases no
    // busy machine outlasts, except in the test that watches one run out.
    hub = await startHub({ taskLeaseMs: 60_000, taskRetryBaseMs: 10, taskRetryMaxMs: 50 });
  });
  afterEach(async () => {
    for (const mcp of opened.splice(0)) await mcp.close();
    for (const agent of agents.splice(0)) await agent.close();
    await hub.stop();
  });

  const mcp = async (as?: { name?: string; agent?: string }): Promise<TestMcp> => {
    const client = await openMcp(hub, as);
    opened.push(client);
    return client;
  };
  const sdkAgent = async (agent: string, profile?: { kind?: string }): Promise<Agent> => {
    const connected = await connect({ url: hub.wsUrl, token: hub.token, agent, stateDir: false, ...(profile === undefined ? {} : { profile }) });
    agents.push(connected);
    return connected;
  };
  /** Every task_updated frame the agent receives. */
  const taskUpdates = (agent: Agent): Frame[] => {
    const frames: Frame[] = [];
    agent.on('frame', (frame) => frame.type === 'task_updated' && frames.push(frame));
    return frames;
  };

  it('lists every tool with a description and an input schema', async () => {
    const { client } = await mcp();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
    for (const tool of tools) {
      expect({ tool: tool.name, described: (tool.description ?? '').length > 40, schema: tool.inputSchema.type }).toEqual({
        tool: tool.name,
        described: true,
        schema: 'object',
      });
    }
  });

  it('sends a message an SDK agent receives, from the agent named after the MCP client', async () => {
    const listener = await sdkAgent('listener');
    const received: StoredMessage[] = [];
    listener.subscribe(['general'], (m) => received.push(m));
    listener.on('message', (m) => m.conversation_id.startsWith('dm:') && received.push(m));
    const assistant = await mcp({ name: 'Test Assistant' });
    await assistant.call('send_message', { conversation: 'general', content: 'hello from MCP', payload: { n: 1 } });
    await assistant.call('send_message', { to: 'listener', content: 'just for you' });
    const seen = await eventually(() => (received.length >= 2 ? received : undefined), 'both messages');
    expect(seen.map((m) => [m.conversation_id, m.sender, m.content])).toEqual([
      ['general', 'test-assistant', 'hello from MCP'],
      ['dm:listener:test-assistant', 'test-assistant', 'just for you'],
    ]);
    expect(await assistant.fail('send_message', { content: 'nowhere' })).toEqual({
      code: 'SB_ERR_VALIDATION',
      message: 'give exactly one of "conversation" or "to"',
    });
  });

  it('takes a task an SDK master sent, asks the master, and finishes it; the master sees the result', async () => {
    const helper = await mcp({ agent: 'helper' });
    const master = await sdkAgent('master');
    const updates = taskUpdates(master);
    master.on('frame', (frame) => {
      const task = frame['task'] as TaskRecord | undefined;
      if (frame.type === 'task_updated' && frame['event'] === 'input_required' && task !== undefined)
        void master.request({ type: 'task_input', task_id: task.task_id, answer: 'main' });
    });
    const sent = (await master.request({ type: 'task_send', task: { to: 'helper', cmd: 'review', payload: { pr: 42 } } }))['task'] as TaskRecord;
    const taken = (await helper.call('take_task', { wait_seconds: 10 }))['task'] as TaskRecord;
    const progress = await helper.call('report_progress', { task_id: taken.task_id, progress: 0.5, message: 'half way' });
    const asked = await helper.call('ask_for_input', { task_id: taken.task_id, question: 'Which branch?', wait_seconds: 10 });
    const seenAnswers = (await helper.call('get_task', { task_id: taken.task_id }))['answers'];
    const finished = await helper.call('finish_task', { task_id: taken.task_id, result: { approved: true } });
    const done = await eventually(() => updates.find((f) => f['event'] === 'completed'), 'the completed update');
    expect({
      taken: [taken.task_id, taken.state, taken.cmd, taken.payload, taken.assigned_to],
      progress: (progress['task'] as TaskRecord).progress,
      asked: [asked['answered'], asked['answer']],
      seenAnswers,
      finished: finished['changed'],
      master: [(done['task'] as TaskRecord).state, (done['task'] as TaskRecord).result],
    }).toEqual({
      taken: [sent.task_id, 'working', 'review', { pr: 42 }, 'helper'],
      progress: { value: 0.5, message: 'half way', at: expect.any(String) },
      asked: [true, 'main'],
      seenAnswers: ['main'],
      finished: true,
      master: ['completed', { approved: true }],
    });
  });

  it('lets an offer nobody takes go back to the hub, and takes it when it is offered again', async () => {
    await hub.stop();
    // Leases short enough to watch one run out; each offer after it is taken as soon as it arrives.
    hub = await startHub({ taskLeaseMs: 2000, taskRetryBaseMs: 10, taskRetryMaxMs: 50 });
    const helper = await mcp({ agent: 'helper' });
    const master = await sdkAgent('master');
    const updates = taskUpdates(master);
    const sent = (await master.request({ type: 'task_send', task: { to: 'helper', cmd: 'later', max_attempts: 10 } }))['task'] as TaskRecord;
    await eventually(() => updates.find((f) => f['event'] === 'requeued'), 'the lease to run out and the task to be requeued', 15_000);
    const taken = (await helper.call('take_task', { wait_seconds: 10 }))['task'] as TaskRecord;
    expect([taken.task_id, taken.state, taken.attempts > 1]).toEqual([sent.task_id, 'working', true]);
    expect((await helper.call('take_task'))['task']).toBeNull();
  });

  it('sends a task to an SDK child and waits for its result', async () => {
    const child = await sdkAgent('doubler');
    child.handle('double', (task) => ({ doubled: (task.payload as { n: number }).n * 2 }));
    const master = await mcp({ agent: 'planner' });
    const answer = await master.call('send_task', { to: 'doubler', cmd: 'double', payload: { n: 21 }, wait_seconds: 10 });
    const task = answer['task'] as TaskRecord;
    const looked = (await master.call('get_task', { task_id: task.task_id }))['task'] as TaskRecord;
    expect({ finished: answer['finished'], state: task.state, result: task.result, from: task.from, looked: looked.state }).toEqual({
      finished: true,
      state: 'completed',
      result: { doubled: 42 },
      from: 'planner',
      looked: 'completed',
    });
    expect(await master.fail('get_task', { task_id: 't_missing' })).toEqual({ code: 'SB_ERR_NOT_FOUND', message: 'no task "t_missing"' });
  });

  it('waits for messages: returns when one arrives from another agent, at once for ones already stored, and empty after its timeout', async () => {
    const assistant = await mcp({ agent: 'assistant' });
    const other = await sdkAgent('other');
    const { next_after_seq: cursor } = await assistant.call('read_messages', { conversation: 'general' });
    // The wait reads what is stored after the cursor (a history frame) only once it listens for new messages.
    const started = hubHandles(hub, 'history');
    const waiting = assistant.call('wait_for_messages', { conversation: 'general', after_seq: cursor, timeout_seconds: 15 });
    await started();
    await assistant.call('send_message', { conversation: 'general', content: 'my own words do not wake me' });
    await other.send('general', 'wake up');
    const woke = await waiting;
    const anywhere = await assistant.call('wait_for_messages', { after_seq: cursor, timeout_seconds: 15 });
    const quiet = await assistant.call('wait_for_messages', { conversation: 'general', after_seq: woke['next_after_seq'], timeout_seconds: 0.2 });
    const said = (answer: Record<string, unknown>): string[][] => (answer['messages'] as StoredMessage[]).map((m) => [m.sender, m.content]);
    expect({ woke: said(woke), timedOut: woke['timed_out'], anywhere: said(anywhere), quiet }).toEqual({
      woke: [['other', 'wake up']],
      timedOut: false,
      anywhere: [['other', 'wake up']],
      quiet: { messages: [], next_after_seq: woke['next_after_seq'], timed_out: true },
    });
  });

  it('notifies a subscribed conversation of new messages and a subscribed task of its changes', async () => {
    const assistant = await mcp({ agent: 'assistant' });
    const other = await sdkAgent('other');
    await other.send('general', 'first');
    await assistant.client.subscribeResource({ uri: 'switchboard://conversations/general' });
    await other.send('general', 'second');
    await eventually(() => (assistant.updated.includes('switchboard://conversations/general') ? true : undefined), 'the conversation update');
    const read = await assistant.client.readResource({ uri: 'switchboard://conversations/general' });
    const sent = (await assistant.call('send_task', { to: 'later-child', cmd: 'work' }))['task'] as TaskRecord;
    const taskUri = `switchboard://tasks/${sent.task_id}`;
    await assistant.client.subscribeResource({ uri: taskUri });
    const child = await sdkAgent('later-child');
    child.handle('work', () => 'done');
    await eventually(() => (assistant.updated.includes(taskUri) ? true : undefined), 'the task update');
    const listed = (await assistant.client.listResources()).resources.map((r) => r.uri);
    const page = JSON.parse((read.contents[0] as { text: string }).text) as { messages: StoredMessage[] };
    expect({ read: page.messages.map((m) => m.content), listed }).toEqual({
      read: ['first', 'second'],
      listed: expect.arrayContaining(['switchboard://conversations/general', taskUri]),
    });
  });

  it('reports an interaction for the metrics', async () => {
    const assistant = await mcp({ agent: 'assistant' });
    const answer = await assistant.call('report_interaction', {
      input: 'fix the parser',
      response_time_ms: 1500,
      tools_used: ['read_file'],
      error_type: 'Timeout',
    });
    expect(answer).toEqual({ interaction_id: expect.any(Number), success: false });
  });
});
