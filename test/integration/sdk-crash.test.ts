/**
 * The SDK through crashes, with real processes and real sockets: the hub (the real CLI) SIGKILLed and
 * restarted on the same port while an agent sends; agents (the built SDK in child processes) SIGKILLed
 * with a non-empty outbox, or mid-task, and started again on the same state folder.
 */
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Agent, connect, webSocketTransport, type TransportFactory } from '../../sdk/index.js';
import type { StoredMessage, TaskRecord } from '../../shared/index.js';
import { serveCli, type CliHub } from '../helpers/cli-process.js';
import { connectAgent, startHub, tempDir, type TestClient, type TestHub } from '../helpers/hub.js';
import { storedMessages } from '../helpers/messages.js';
import { FAST, readConversation, readJson, runScript, taskFinished, turn, type ScriptProcess } from '../helpers/sdk.js';
import { eventually } from '../helpers/wait.js';

const hubs: CliHub[] = [];
const testHubs: TestHub[] = [];
const agents: Agent[] = [];
const scripts: ScriptProcess[] = [];
const clients: TestClient[] = [];
const folders: string[] = [];

afterEach(async () => {
  for (const script of scripts.splice(0)) await script.kill();
  for (const agent of agents.splice(0)) await agent.close();
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const hub of testHubs.splice(0)) await hub.stop();
  for (const cli of hubs.splice(0)) {
    if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
    await cli.exited;
  }
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function folder(): string {
  const dir = tempDir();
  folders.push(dir);
  return dir;
}

/** The real CLI hub, which the test can SIGKILL and start again on the port it first got and the same folder. */
async function cliHub(): Promise<{ dataDir: string; current(): CliHub; kill(): Promise<void>; restart(): Promise<CliHub> }> {
  const dataDir = folder();
  let current = await serveCli(dataDir, 15_000);
  const port = current.port;
  hubs.push(current);
  return {
    dataDir,
    current: () => current,
    async kill() {
      current.child.kill('SIGKILL');
      await current.exited;
    },
    async restart() {
      current = await serveCli(dataDir, 15_000, port);
      hubs.push(current);
      return current;
    },
  };
}

interface CrashRun {
  /** What each send resolved to, in send order. */
  resolved: StoredMessage[];
  /** Sends made but not yet acknowledged when the hub was killed. */
  unackedAtKill: number;
  /** Sends waiting in the outbox while the hub was down. */
  outboxWhileDown: number;
  hub: CliHub;
}

/**
 * Sends `count` messages without awaiting each: the first 40% while the hub is up (yielding now and
 * then so acks arrive), the next 10% in one go followed at once by SIGKILL (in flight at the crash), the
 * rest while the hub is down; then restarts the hub on the same port and waits for every send.
 */
async function sendAcrossCrash(setup: Awaited<ReturnType<typeof cliHub>>, agent: Agent, conversation: string, count: number): Promise<CrashRun> {
  const sends: Promise<StoredMessage>[] = [];
  let acked = 0;
  const send = (i: number): void => {
    sends.push(
      agent.send(conversation, `message ${i}`).then((m) => {
        acked++;
        return m;
      }),
    );
  };
  const upTo = Math.floor(count * 0.4);
  const inFlight = Math.floor(count * 0.5);
  for (let i = 0; i < upTo; i++) {
    send(i);
    if (i % 10 === 9) await turn();
  }
  for (let i = upTo; i < inFlight; i++) send(i);
  const unackedAtKill = inFlight - acked;
  await setup.kill();
  for (let i = inFlight; i < count; i++) {
    send(i);
    if (i % 10 === 9) await turn();
  }
  const outboxWhileDown = agent.outboxSize;
  const hub = await setup.restart();
  const resolved = await Promise.all(sends);
  return { resolved, unackedAtKill, outboxWhileDown, hub };
}

describe('the hub killed while an agent sends', () => {
  it('resolves every send after the hub restarts, and the conversation holds each message exactly once, in send order', async () => {
    const setup = await cliHub();
    const agent = await connect({ dataDir: setup.dataDir, agent: 'sender', reconnect: FAST });
    agents.push(agent);
    const run = await sendAcrossCrash(setup, agent, 'burst', 500);
    const stored = await readConversation(run.hub.http, run.hub.token, 'burst');
    const contents = Array.from({ length: 500 }, (_, i) => `message ${i}`);
    expect({
      inFlightAtKill: run.unackedAtKill > 0,
      waitedWhileDown: run.outboxWhileDown >= 250,
      resolved: run.resolved.map((m) => m.content),
      stored: stored.map((m) => m.content),
      sameMessages: run.resolved.map((m) => m.seq),
      increasing: stored.every((m, i) => i === 0 || m.seq > (stored[i - 1] as StoredMessage).seq),
      outboxAfter: [agent.outboxSize, readJson<unknown[]>(join(setup.dataDir, 'agents', 'sender', 'outbox.json'))],
    }).toEqual({
      inFlightAtKill: true,
      waitedWhileDown: true,
      resolved: contents,
      stored: contents,
      sameMessages: stored.map((m) => m.seq),
      increasing: true,
      outboxAfter: [0, []],
    });
  });

  it('lets a subscriber that was away while messages were stored resume from the last seq it saw once the hub is back: every message once, in order', async () => {
    const setup = await cliHub();
    const sender = await connect({ dataDir: setup.dataDir, agent: 'sender', stateDir: false, reconnect: FAST });
    agents.push(sender);
    // The watcher reconnects only when the test opens the gate, after everything was stored without it.
    let gateOpen = true;
    const ws = webSocketTransport(WebSocket);
    const gated: TransportFactory = (url, handlers) => {
      if (gateOpen) return ws(url, handlers);
      setTimeout(() => handlers.close(1006, 'the test keeps this agent away'), 5);
      return { send: () => {}, close: () => {} };
    };
    const watcher = new Agent({ url: setup.current().wsUrl, token: setup.current().token, agent: 'watcher', transport: gated, reconnect: FAST }, false);
    agents.push(watcher);
    await watcher.start();
    const seen: StoredMessage[] = [];
    watcher.subscribe(['watched'], (m) => seen.push(m), { since: 0 });
    await sender.send('watched', 'before the burst');
    await eventually(() => (seen.length === 1 ? true : undefined), 'the first message');
    gateOpen = false;
    const run = await sendAcrossCrash(setup, sender, 'watched', 300);
    const seenWhileAway = seen.length;
    gateOpen = true;
    await eventually(() => (seen.length >= 301 && watcher.status === 'connected' ? true : undefined), 'the watcher to catch up');
    const stored = await readConversation(run.hub.http, run.hub.token, 'watched');
    expect({
      inFlightAtKill: run.unackedAtKill > 0,
      missedWhileAway: seenWhileAway < 301,
      seen: seen.map((m) => [m.seq, m.content]),
    }).toEqual({
      inFlightAtKill: true,
      missedWhileAway: true,
      seen: stored.map((m) => [m.seq, m.content]),
    });
  });
});

/** An agent that sends `count` messages as soon as it notices the hub is gone (they wait in its outbox), then waits. */
const SEND_WHILE_DOWN = `
const agent = await sdk.connect({ dataDir: input.dataDir, agent: 'alice', stateDir: input.stateDir, reconnect: input.reconnect });
let sent = false;
agent.on('status', (status) => {
  if (status !== 'disconnected' || sent) return;
  sent = true;
  for (let i = 0; i < input.count; i++) agent.send('general', input.prefix + i).catch(() => {});
  say('queued', { outbox: agent.outboxSize });
});
say('connected');
`;

/** An agent that sends `count` messages while connected and then blocks its event loop: the hub stores them, but their acks are never read. */
const SEND_THEN_FREEZE = `
const agent = await sdk.connect({ dataDir: input.dataDir, agent: 'alice', stateDir: input.stateDir, reconnect: input.reconnect });
for (let i = 0; i < input.count; i++) agent.send('general', input.prefix + i).catch(() => {});
// The sends of one turn leave together in a microtask; this one runs after it, before any ack can be read.
await Promise.resolve();
say('sent', { outbox: agent.outboxSize });
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
`;

/** The same agent started again on the same state folder: reports when its outbox is empty, then exits. */
const FLUSH = `
const agent = await sdk.connect({ dataDir: input.dataDir, agent: 'alice', stateDir: input.stateDir, reconnect: input.reconnect });
const check = () => {
  if (agent.outboxSize > 0) return void setTimeout(check, 10);
  say('flushed');
  void agent.close().then(() => process.exit(0));
};
check();
`;

interface OutboxFileEntry {
  client_msg_id: string;
  frame: { content: string };
}

describe('an agent killed with a non-empty outbox', () => {
  it('flushes the messages it queued while the hub was down when it restarts on the same state folder: each stored once, in order', async () => {
    const dataDir = folder();
    const stateDir = folder();
    const scriptDir = folder();
    let hub = await startHub({ dataDir });
    testHubs.push(hub);
    const input = { dataDir, stateDir, reconnect: FAST, count: 20, prefix: 'offline ' };
    const first = runScript(scriptDir, 'send-while-down', SEND_WHILE_DOWN, input);
    scripts.push(first);
    await first.next('connected');
    testHubs.splice(0);
    await hub.stop();
    const queued = await first.next('queued');
    const killed = await first.kill();
    const outbox = readJson<OutboxFileEntry[]>(join(stateDir, 'outbox.json'));

    hub = await startHub({ dataDir });
    testHubs.push(hub);
    const second = runScript(scriptDir, 'flush', FLUSH, input);
    scripts.push(second);
    await second.next('flushed');
    const exit = await second.exited;
    const stored = await storedMessages(hub, 'general');
    const contents = Array.from({ length: 20 }, (_, i) => `offline ${i}`);
    expect({
      queued: queued['outbox'],
      killed,
      outbox: outbox.map((e) => e.frame.content),
      exit,
      stored: stored.map((m) => m.content),
      sameIds: stored.map((m) => m.client_msg_id),
      outboxAfter: readJson<unknown[]>(join(stateDir, 'outbox.json')),
    }).toEqual({
      queued: 20,
      killed: { code: null, signal: 'SIGKILL' },
      outbox: contents,
      exit: { code: 0, signal: null },
      stored: contents,
      sameIds: outbox.map((e) => e.client_msg_id),
      outboxAfter: [],
    });
  });

  it('resends with the same client_msg_id what the hub stored before the agent crashed without reading the acks, and the hub stores each once', async () => {
    const hub = await startHub({ dataDir: folder() });
    testHubs.push(hub);
    const stateDir = folder();
    const scriptDir = folder();
    const input = { dataDir: hub.dataDir, stateDir, reconnect: FAST, count: 20, prefix: 'unacked ' };
    const first = runScript(scriptDir, 'send-then-freeze', SEND_THEN_FREEZE, input);
    scripts.push(first);
    await first.next('sent');
    await eventually(async () => ((await storedMessages(hub, 'general')).length === 20 ? true : undefined), 'the hub to store the 20 sends');
    const killed = await first.kill();
    const outbox = readJson<OutboxFileEntry[]>(join(stateDir, 'outbox.json'));
    const storedBefore = await storedMessages(hub, 'general');

    const second = runScript(scriptDir, 'flush', FLUSH, input);
    scripts.push(second);
    await second.next('flushed');
    const stored = await storedMessages(hub, 'general');
    const contents = Array.from({ length: 20 }, (_, i) => `unacked ${i}`);
    expect({
      killed,
      unackedOnDisk: outbox.map((e) => e.frame.content),
      storedBefore: storedBefore.map((m) => m.content),
      stored: stored.map((m) => [m.seq, m.content, m.client_msg_id]),
      outboxAfter: readJson<unknown[]>(join(stateDir, 'outbox.json')),
    }).toEqual({
      killed: { code: null, signal: 'SIGKILL' },
      unackedOnDisk: contents,
      storedBefore: contents,
      stored: storedBefore.map((m) => [m.seq, m.content, m.client_msg_id]),
      outboxAfter: [],
    });
  });
});

/**
 * A chart worker. Every run of the handler appends the task id to a file. In phase 1, a task with mode
 * "hang" never finishes, and one with mode "die" finishes but the process is SIGKILLed just before the
 * result goes to the hub (so the result is on disk in finished-tasks.json but the hub never got it).
 */
const WORKER = `
import { appendFileSync } from 'node:fs';
const agent = await sdk.connect({ dataDir: input.dataDir, agent: 'charts', stateDir: input.stateDir, reconnect: input.reconnect, profile: { kind: 'chart-checker' } });
const dieBeforeResult = new Set();
const request = agent.request.bind(agent);
agent.request = (frame) => {
  if (frame.type === 'task_result' && dieBeforeResult.has(frame.task_id)) {
    say('dying', { task_id: frame.task_id });
    process.kill(process.pid, 'SIGKILL');
  }
  return request(frame);
};
agent.handle('verify_chart', async (task) => {
  appendFileSync(input.runsFile, task.task_id + '\\n');
  say('running', { task_id: task.task_id });
  if (input.phase === 1 && task.payload.mode === 'hang') await new Promise(() => {});
  if (input.phase === 1 && task.payload.mode === 'die') dieBeforeResult.add(task.task_id);
  return { verified: task.payload.chart, phase: input.phase };
});
say('ready');
`;

describe('a worker killed mid-task', () => {
  it('runs an unfinished task again after a restart, but reports a finished one from its memory without running it again', async () => {
    const hub = await startHub({ dataDir: folder(), taskRetryBaseMs: 10, taskRetryMaxMs: 50 });
    testHubs.push(hub);
    const stateDir = folder();
    const scriptDir = folder();
    const runsFile = join(folder(), 'runs.txt');
    appendFileSync(runsFile, '');
    const master = await connectAgent(hub, 'master');
    clients.push(master);
    const sendTask = async (chart: string, mode: string): Promise<string> => {
      const ack = await master.request({ type: 'task_send', task: { to: 'chart-checker', cmd: 'verify_chart', payload: { chart, mode }, timeout_ms: 300 } });
      return (ack['task'] as TaskRecord).task_id;
    };
    const input = { dataDir: hub.dataDir, stateDir, reconnect: FAST, runsFile };

    const first = runScript(scriptDir, 'worker-1', WORKER, { ...input, phase: 1 });
    scripts.push(first);
    await first.next('ready');
    const done = await sendTask('done', 'ok');
    const doneBefore = await taskFinished(master, done);
    const hang = await sendTask('hang', 'hang');
    await first.next('running', (e) => e['task_id'] === hang);
    const die = await sendTask('die', 'die');
    await first.next('dying', (e) => e['task_id'] === die);
    const killed = await first.exited;
    const memory = readJson<Record<string, { status: string; result?: unknown; confirmed: boolean }>>(join(stateDir, 'finished-tasks.json'));

    const second = runScript(scriptDir, 'worker-2', WORKER, { ...input, phase: 2 });
    scripts.push(second);
    const [dieAfter, hangAfter] = await Promise.all([taskFinished(master, die), taskFinished(master, hang)]);
    const runs = readFileSync(runsFile, 'utf8').trim().split('\n');
    const count = (id: string): number => runs.filter((r) => r === id).length;
    expect({
      killed,
      memoryAtCrash: { done: memory[done]?.confirmed, die: memory[die], hang: memory[hang] },
      done: [doneBefore.state, doneBefore.result],
      die: [dieAfter.state, dieAfter.result],
      hang: [hangAfter.state, hangAfter.result],
      handlerRuns: { done: count(done), die: count(die), hang: count(hang) },
      phase2Ran: second.events.filter((e) => e.event === 'running').map((e) => e['task_id']),
    }).toEqual({
      killed: { code: null, signal: 'SIGKILL' },
      memoryAtCrash: { done: true, die: { status: 'completed', result: { verified: 'die', phase: 1 }, confirmed: false }, hang: undefined },
      done: ['completed', { verified: 'done', phase: 1 }],
      die: ['completed', { verified: 'die', phase: 1 }],
      hang: ['completed', { verified: 'hang', phase: 2 }],
      handlerRuns: { done: 1, die: 1, hang: 2 },
      phase2Ran: [hang],
    });
  });
});
