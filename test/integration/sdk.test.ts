/**
 * The Node SDK against a real hub over real sockets: zero-config connect, status events across a hub
 * restart, the outbox and the hub's offline queue at capacity, the task worker and the stream helper.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, HubError, type Agent, type ConnectionStatus, type GapReceipt } from '../../sdk/index.js';
import type { StoredMessage, TaskRecord } from '../../shared/index.js';
import { agentToken, api, connectAgent, startHub, tempDir, type Frame, type TestClient, type TestHub } from '../helpers/hub.js';
import { storedMessages } from '../helpers/messages.js';
import { FAST, readJson, taskFinished } from '../helpers/sdk.js';
import { eventually } from '../helpers/wait.js';

const agents: Agent[] = [];
const clients: TestClient[] = [];
const hubs: TestHub[] = [];
const folders: string[] = [];

afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.close();
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const hub of hubs.splice(0)) await hub.stop();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/**
 * A hub with a data folder the test keeps, so it can be stopped and started again where agents expect it:
 * first on a port the system picks, then always on that one.
 */
function restartableHub(settings: Record<string, unknown> = {}): { dataDir: string; readonly port: number; start(): Promise<TestHub>; stop(): Promise<void> } {
  const dataDir = tempDir();
  folders.push(dataDir);
  let port = 0;
  let current: TestHub | undefined;
  return {
    dataDir,
    get port() {
      return port;
    },
    async start() {
      current = await startHub({ ...settings, dataDir, port });
      port = current.port;
      hubs.push(current);
      return current;
    },
    async stop() {
      const hub = current;
      current = undefined;
      if (hub === undefined) return;
      hubs.splice(hubs.indexOf(hub), 1);
      await hub.stop();
    },
  };
}

async function track<T extends Agent>(agent: Promise<T>): Promise<T> {
  const connected = await agent;
  agents.push(connected);
  return connected;
}

/** The statuses with each further failed attempt (another "disconnected, reconnecting") left out. */
function collapseRetries(statuses: ConnectionStatus[]): ConnectionStatus[] {
  const out: ConnectionStatus[] = [];
  let skipReconnecting = false;
  for (const status of statuses) {
    if (skipReconnecting && status === 'reconnecting') {
      skipReconnecting = false;
      continue;
    }
    skipReconnecting = false;
    if (status === 'disconnected' && out.at(-1) === 'reconnecting' && out.at(-2) === 'disconnected') {
      skipReconnecting = true;
      continue;
    }
    out.push(status);
  }
  return out;
}

describe('connecting', () => {
  it('connects with no arguments from connection.json in SWITCHBOARD_HOME, and with only a data folder', async () => {
    const hub = await startHub();
    hubs.push(hub);
    const before = process.env['SWITCHBOARD_HOME'];
    process.env['SWITCHBOARD_HOME'] = hub.dataDir;
    let zeroConfig: Agent;
    try {
      zeroConfig = await track(connect());
    } finally {
      if (before === undefined) delete process.env['SWITCHBOARD_HOME'];
      else process.env['SWITCHBOARD_HOME'] = before;
    }
    const withFolder = await track(connect({ dataDir: hub.dataDir, agent: 'alice' }));
    const first = await zeroConfig.send('general', 'from the default agent');
    const second = await withFolder.send('general', 'from alice');
    expect({
      names: [zeroConfig.agent, withFolder.agent],
      statuses: [zeroConfig.status, withFolder.status],
      senders: [first.sender, second.sender],
      outboxFiles: [existsSync(join(hub.dataDir, 'agents', 'default', 'outbox.json')), existsSync(join(hub.dataDir, 'agents', 'alice', 'outbox.json'))],
      stored: (await storedMessages(hub, 'general')).map((m) => `${m.sender}: ${m.content}`),
    }).toEqual({
      names: ['user', 'alice'],
      statuses: ['connected', 'connected'],
      senders: ['user', 'alice'],
      outboxFiles: [true, true],
      stored: ['user: from the default agent', 'alice: from alice'],
    });
  });

  it('connects with an explicit url and an agent token, acting as that token’s agent', async () => {
    const hub = await startHub();
    hubs.push(hub);
    const token = await agentToken(hub, 'reviewer');
    const agent = await track(connect({ url: hub.wsUrl, token, dataDir: tempDir(), stateDir: false }));
    const stored = await agent.send('general', 'hello');
    expect({ name: agent.agent, sender: stored.sender, content: stored.content }).toEqual({ name: 'reviewer', sender: 'reviewer', content: 'hello' });
  });

  it('rejects connect() with the hub’s error when the token is wrong, and says where connection.json was looked for when it is missing', async () => {
    const hub = await startHub();
    hubs.push(hub);
    const empty = tempDir();
    folders.push(empty);
    const wrong = await connect({ url: hub.wsUrl, token: 'sb_wrong', stateDir: false }).then(
      () => undefined,
      (error: unknown) => error,
    );
    const missing = await connect({ dataDir: empty }).then(
      () => undefined,
      (error: unknown) => (error as Error).message,
    );
    expect({ wrongIsHubError: wrong instanceof HubError, code: (wrong as HubError).code, missing }).toEqual({
      wrongIsHubError: true,
      code: 'SB_ERR_AUTH',
      missing: expect.stringContaining(join(empty, 'connection.json')),
    });
  });

  it('reports its status as events: connecting, connected; disconnected and reconnecting while the hub is down; connected after it restarts on the same port; closed', async () => {
    const setup = restartableHub();
    await setup.start();
    const statuses: ConnectionStatus[] = [];
    const agent = await track(connect({ dataDir: setup.dataDir, agent: 'alice', reconnect: FAST, on: { status: (s) => statuses.push(s) } }));
    await setup.stop();
    await eventually(() => (statuses.includes('reconnecting') ? true : undefined), 'a reconnect attempt');
    const hub = await setup.start();
    await eventually(() => (agent.status === 'connected' ? true : undefined), 'the agent to reconnect');
    const stored = await agent.send('general', 'after the restart');
    await agent.close();
    expect({ statuses: collapseRetries(statuses), port: hub.port, stored: stored.content }).toEqual({
      statuses: ['connecting', 'connected', 'disconnected', 'reconnecting', 'connected', 'closed'],
      port: setup.port,
      stored: 'after the restart',
    });
  });
});

describe('the outbox', () => {
  it('keeps sends made while the hub is down, drops the oldest beyond its capacity with a dropped event, and stores the rest once after the restart', async () => {
    const setup = restartableHub();
    await setup.start();
    const stateDir = tempDir();
    folders.push(stateDir);
    const dropped: number[] = [];
    const agent = await track(
      connect({ dataDir: setup.dataDir, agent: 'alice', stateDir, outboxCapacity: 5, reconnect: FAST, on: { dropped: (n) => dropped.push(n) } }),
    );
    await setup.stop();
    await eventually(() => (agent.status !== 'connected' ? true : undefined), 'the agent to notice the hub is gone');
    const sends = Array.from({ length: 8 }, (_, i) =>
      agent.send('general', `offline ${i}`).then(
        (m) => ({ stored: m.content }),
        (error: HubError) => ({ refused: error.code }),
      ),
    );
    const onDisk = readJson<{ frame: { content: string } }[]>(join(stateDir, 'outbox.json')).map((e) => e.frame.content);
    const outboxSize = agent.outboxSize;
    const hub = await setup.start();
    const outcomes = await Promise.all(sends);
    expect({
      dropped,
      onDisk,
      outboxSize,
      outcomes,
      stored: (await storedMessages(hub, 'general')).map((m) => m.content),
      outboxAfter: readJson<unknown[]>(join(stateDir, 'outbox.json')),
    }).toEqual({
      dropped: [1, 1, 1],
      onDisk: ['offline 3', 'offline 4', 'offline 5', 'offline 6', 'offline 7'],
      outboxSize: 5,
      outcomes: [
        { refused: 'SB_ERR_OUTBOX_FULL' },
        { refused: 'SB_ERR_OUTBOX_FULL' },
        { refused: 'SB_ERR_OUTBOX_FULL' },
        ...[3, 4, 5, 6, 7].map((i) => ({ stored: `offline ${i}` })),
      ],
      stored: [3, 4, 5, 6, 7].map((i) => `offline ${i}`),
      outboxAfter: [],
    });
  });

  it('resolves every send made around a graceful hub stop once the hub is back, and stores each once, in order', async () => {
    const setup = restartableHub();
    await setup.start();
    const agent = await track(connect({ dataDir: setup.dataDir, agent: 'alice', reconnect: FAST }));
    const sends: Promise<StoredMessage>[] = [];
    for (let i = 0; i < 100; i++) sends.push(agent.send('general', `around the stop ${i}`));
    const stopping = setup.stop();
    for (let i = 100; i < 200; i++) sends.push(agent.send('general', `around the stop ${i}`));
    await stopping;
    const hub = await setup.start();
    const resolved = await Promise.all(sends);
    const stored = await storedMessages(hub, 'general');
    const contents = Array.from({ length: 200 }, (_, i) => `around the stop ${i}`);
    expect({ resolved: resolved.map((m) => [m.seq, m.content]), stored: stored.map((m) => m.content) }).toEqual({
      resolved: stored.map((m) => [m.seq, m.content]),
      stored: contents,
    });
  });

  it('sends a message again with the same client_msg_id and resolves to the first stored message', async () => {
    const hub = await startHub();
    hubs.push(hub);
    const agent = await track(connect({ dataDir: hub.dataDir, agent: 'alice', stateDir: false }));
    const first = await agent.send('general', 'once', { clientMsgId: 'alice-1' });
    const again = await agent.send('general', 'once', { clientMsgId: 'alice-1' });
    expect({ same: again, stored: (await storedMessages(hub, 'general')).length }).toEqual({ same: first, stored: 1 });
  });
});

describe('the offline queue through the SDK', () => {
  it('emits the exact drop receipt, then the newest queued direct messages in order, and acknowledges them so a reconnect does not deliver them again', async () => {
    const hub = await startHub({ offlineQueueCapacity: 5 });
    hubs.push(hub);
    const alice = await connectAgent(hub, 'alice');
    clients.push(alice);
    const seqs: number[] = [];
    for (let i = 0; i < 8; i++) {
      const ack = await alice.request({ type: 'send_message', to: 'bob', content: `dm ${i}` });
      seqs.push((ack['message'] as StoredMessage).seq);
    }
    const gaps: GapReceipt[] = [];
    const messages: StoredMessage[] = [];
    const bob = await track(connect({ dataDir: hub.dataDir, agent: 'bob', stateDir: false }));
    bob.on('gap', (gap) => gaps.push(gap));
    bob.on('message', (m) => messages.push(m));
    await eventually(() => (messages.length === 5 ? true : undefined), 'the five queued messages');
    const depth = async (): Promise<number> => {
      const { body } = await api(hub, 'GET', '/api/agents');
      return (body['agents'] as { id: string; queue_depth: number }[]).find((a) => a.id === 'bob')?.queue_depth ?? -1;
    };
    await eventually(async () => ((await depth()) === 0 ? true : undefined), 'the queue to be acknowledged');
    await bob.close();

    const again: StoredMessage[] = [];
    const gapsAgain: GapReceipt[] = [];
    const bobAgain = await track(connect({ dataDir: hub.dataDir, agent: 'bob', stateDir: false }));
    bobAgain.on('message', (m) => again.push(m));
    bobAgain.on('gap', (gap) => gapsAgain.push(gap));
    await bobAgain.request({ type: 'list_agents' });
    expect({
      gaps,
      messages: messages.map((m) => ({ seq: m.seq, content: m.content })),
      again,
      gapsAgain,
    }).toEqual({
      gaps: [{ dropped: 3, from_seq: seqs[0], to_seq: seqs[2], reason: 'capacity' }],
      messages: [3, 4, 5, 6, 7].map((i) => ({ seq: seqs[i], content: `dm ${i}` })),
      again: [],
      gapsAgain: [],
    });
  });
});

/** Frames of one task's updates as the master sees them. */
function updates(master: TestClient, taskId: string): Frame[] {
  return master.frames.filter((f) => f.type === 'task_updated' && (f['task'] as TaskRecord).task_id === taskId);
}

describe('the task worker', () => {
  it('accepts a verify_chart task, reports progress, asks the master a question, and completes with the handler’s result', async () => {
    const hub = await startHub();
    hubs.push(hub);
    const stateDir = tempDir();
    folders.push(stateDir);
    const worker = await track(connect({ dataDir: hub.dataDir, agent: 'charts', stateDir, profile: { kind: 'chart-checker' } }));
    worker.handle('verify_chart', async (task, ctx) => {
      await ctx.progress(0.5, 'axes checked');
      const axis = await ctx.ask('Which axis is time?');
      return { ok: true, chart: task.payload, axis };
    });
    const master = await connectAgent(hub, 'master');
    clients.push(master);
    const sent = await master.request({ type: 'task_send', task: { to: 'chart-checker', cmd: 'verify_chart', payload: { id: 7 } } });
    const taskId = (sent['task'] as TaskRecord).task_id;
    const asked = await master.next((f) => f.type === 'task_updated' && f['event'] === 'input_required', { from: 0 });
    await master.request({ type: 'task_input', task_id: taskId, answer: 'x' });
    const done = await taskFinished(master, taskId);
    const remembered = await eventually(() => {
      const file = readJson<Record<string, { confirmed: boolean }>>(join(stateDir, 'finished-tasks.json'));
      return file[taskId]?.confirmed === true ? file : undefined;
    }, 'the hub to confirm the result');
    expect({
      events: updates(master, taskId).map((f) => f['event']),
      progress: updates(master, taskId).find((f) => f['event'] === 'progress')?.['task'],
      question: (asked['task'] as TaskRecord).question,
      state: done.state,
      result: done.result,
      remembered,
    }).toEqual({
      events: ['created', 'assigned', 'accepted', 'progress', 'input_required', 'answered', 'completed'],
      progress: expect.objectContaining({ progress: expect.objectContaining({ value: 0.5, message: 'axes checked' }) }),
      question: 'Which axis is time?',
      state: 'completed',
      result: { ok: true, chart: { id: 7 }, axis: 'x' },
      remembered: { [taskId]: { status: 'completed', result: { ok: true, chart: { id: 7 }, axis: 'x' }, confirmed: true } },
    });
  });

  it('does not run a task again that its memory on disk says it finished: a restarted worker reports the remembered result instead', async () => {
    const hub = await startHub();
    hubs.push(hub);
    const master = await connectAgent(hub, 'master');
    clients.push(master);
    const sent = await master.request({ type: 'task_send', task: { to: 'charts', cmd: 'verify_chart', payload: { id: 9 } } });
    const taskId = (sent['task'] as TaskRecord).task_id;
    // What a worker that finished the task, and crashed before the hub got the result, left behind.
    const stateDir = tempDir();
    folders.push(stateDir);
    writeFileSync(join(stateDir, 'finished-tasks.json'), JSON.stringify({ [taskId]: { status: 'completed', result: { remembered: true }, confirmed: false } }));
    const worker = await track(connect({ dataDir: hub.dataDir, agent: 'charts', stateDir }));
    let runs = 0;
    worker.handle('verify_chart', () => {
      runs++;
      return { remembered: false };
    });
    const done = await taskFinished(master, taskId);
    const memory = await eventually(() => {
      const file = readJson<Record<string, { confirmed: boolean }>>(join(stateDir, 'finished-tasks.json'));
      return file[taskId]?.confirmed === true ? file : undefined;
    }, 'the hub to confirm the result');
    expect({ state: done.state, result: done.result, runs, memory }).toEqual({
      state: 'completed',
      result: { remembered: true },
      runs: 0,
      memory: { [taskId]: { status: 'completed', result: { remembered: true }, confirmed: true } },
    });
  });

  it('fails the task with the handler’s error message, and rejects a cmd it has no handler for', async () => {
    const hub = await startHub();
    hubs.push(hub);
    const worker = await track(connect({ dataDir: hub.dataDir, agent: 'charts', stateDir: false }));
    worker.handle('verify_chart', () => {
      throw new Error('the chart has no axes');
    });
    const master = await connectAgent(hub, 'master');
    clients.push(master);
    const failing = await master.request({ type: 'task_send', task: { to: 'charts', cmd: 'verify_chart', max_attempts: 1 } });
    const unknown = await master.request({ type: 'task_send', task: { to: 'charts', cmd: 'render_chart', max_attempts: 1 } });
    const failed = await taskFinished(master, (failing['task'] as TaskRecord).task_id);
    const rejected = await taskFinished(master, (unknown['task'] as TaskRecord).task_id);
    expect({ failed: [failed.state, failed.error], rejected: rejected.state }).toEqual({ failed: ['failed', 'the chart has no axes'], rejected: 'rejected' });
  });
});

describe('streaming', () => {
  it('streams chunks that subscribers see live and stores the joined message once', async () => {
    const hub = await startHub();
    hubs.push(hub);
    const watcher = await connectAgent(hub, 'watcher');
    clients.push(watcher);
    await watcher.request({ type: 'subscribe', conversations: ['general'] });
    const agent = await track(connect({ dataDir: hub.dataDir, agent: 'writer', stateDir: false }));
    const stream = await agent.conversation('general').stream();
    stream.write('a');
    stream.write('b');
    const stored = await stream.end();
    const end = await watcher.next('stream_end');
    const seen = watcher.frames.filter((f) => f.type.startsWith('stream_')).map((f) => (f.type === 'stream_chunk' ? `chunk ${String(f['content'])}` : f.type));
    expect({
      stored: { content: stored.content, sender: stored.sender },
      seen,
      end: { full_content: end['full_content'], seq: end['seq'] },
      history: (await storedMessages(hub, 'general')).map((m) => m.content),
    }).toEqual({
      stored: { content: 'ab', sender: 'writer' },
      seen: ['stream_start', 'chunk a', 'chunk b', 'stream_end'],
      end: { full_content: 'ab', seq: stored.seq },
      history: ['ab'],
    });
  });
  it('delivers a streamed message to an SDK subscription handler when the stream ends, once, also across a later replay', async () => {
    const hub = await startHub();
    hubs.push(hub);
    const reader = await track(connect({ dataDir: hub.dataDir, agent: 'reader', stateDir: false }));
    const got: string[] = [];
    reader.subscribe(['general'], (message) => got.push(`${message.seq}:${message.content}`), { since: 0 });
    const writer = await track(connect({ dataDir: hub.dataDir, agent: 'writer', stateDir: false }));
    await eventually(() => (reader.status === 'connected' ? true : undefined), 'the reader to be connected');
    const stream = await writer.stream('general');
    stream.write('hel');
    stream.write('lo');
    const stored = await stream.end();
    const after = await writer.send('general', 'next');
    await eventually(() => (got.length === 2 ? true : undefined), 'both messages');
    expect(got).toEqual([`${stored.seq}:hello`, `${after.seq}:next`]);
  });
});
