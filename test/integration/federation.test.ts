/**
 * Federation over a real `nats-server -js`: two hubs share the conversations their patterns name, each
 * message once and in its sender's order on every hub, through NATS outages and a hub killed mid-publish.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FederationStatus, StoredMessage, TaskRecord } from '../../shared/index.js';
import { connect, type Agent } from '../../sdk/index.js';
import { serveCli, type CliHub } from '../helpers/cli-process.js';
import { api, connectAgent, startHub, tempFolders, type TestClient, type TestHub } from '../helpers/hub.js';
import { storedMessages } from '../helpers/messages.js';
import { FAST, runScript, taskFinished } from '../helpers/sdk.js';
import { startNats, startNatsCluster, type NatsServer } from '../helpers/nats.js';
import { eventually } from '../helpers/wait.js';

const folder = tempFolders('switchboard-federation-');
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function nats(): Promise<NatsServer> {
  const server = await startNats();
  cleanups.push(() => server.stop());
  return server;
}

const federation = (server: NatsServer, hubId: string) => ({ url: server.url, hubId, conversations: ['team-*', 'ops'] });

async function federatedHub(server: NatsServer, hubId: string): Promise<TestHub> {
  const hub = await startHub({ federation: federation(server, hubId) });
  cleanups.push(() => hub.stop());
  return hub;
}

async function agent(hub: TestHub, name: string): Promise<TestClient> {
  const client = await connectAgent(hub, name);
  cleanups.push(() => client.close());
  return client;
}

async function status(hub: { http: string; token: string }): Promise<FederationStatus & { enabled: true }> {
  const response = await fetch(`${hub.http}/api/federation`, { headers: { authorization: `Bearer ${hub.token}` } });
  const body = (await response.json()) as { federation: FederationStatus };
  if (!body.federation.enabled) throw new Error('federation is off');
  return body.federation;
}

/** Waits until the conversation holds `count` messages on the hub, and returns them. */
async function conversationHolds(hub: { http: string; token: string }, conversation: string, count: number, timeoutMs = 20_000): Promise<StoredMessage[]> {
  return eventually(
    async () => {
      const messages = await storedMessages(hub as TestHub, conversation).catch(() => []);
      if (messages.length > count) throw new Error(`${messages.length} messages in ${conversation}, expected ${count}`);
      return messages.length === count ? messages : undefined;
    },
    `${count} messages in ${conversation}`,
    timeoutMs,
  );
}

/** The contents from one hub, in the order this hub stored them. */
const fromHub = (messages: StoredMessage[], hubId: string | undefined): string[] => messages.filter((m) => m.origin_hub === hubId).map((m) => m.content);

async function kill(hub: CliHub): Promise<void> {
  if (hub.child.exitCode === null && hub.child.signalCode === null) hub.child.kill('SIGKILL');
  await hub.exited;
}

async function sendMany(client: TestClient, conversation: string, prefix: string, count: number): Promise<void> {
  const ack = await client.request({
    type: 'send_batch',
    messages: Array.from({ length: count }, (_, i) => ({ conversation_id: conversation, content: `${prefix}${i}` })),
  });
  if (ack.type !== 'batch_ack') throw new Error(`not stored: ${JSON.stringify(ack)}`);
}

describe('two hubs, one NATS server', () => {
  it('carries a shared conversation both ways, marked with the hub it came from, and keeps the others home', async () => {
    const server = await nats();
    const laptop = await federatedHub(server, 'laptop');
    const workstation = await federatedHub(server, 'workstation');
    const planner = await agent(laptop, 'planner');
    const coder = await agent(workstation, 'coder');
    await coder.request({ type: 'subscribe', conversations: ['team-x'] });
    await planner.request({ type: 'subscribe', conversations: ['team-x'] });

    await planner.request({ type: 'send_message', conversation_id: 'home', content: 'stays on the laptop' });
    await planner.request({ type: 'send_message', conversation_id: 'team-x', content: 'from the laptop', payload: { step: 1 } });
    const arrived = await coder.next((f) => f.type === 'new_message' && f['content'] === 'from the laptop', { timeoutMs: 15_000 });
    await coder.request({ type: 'send_message', conversation_id: 'team-x', content: 'from the workstation' });
    const answered = await planner.next((f) => f.type === 'new_message' && f['content'] === 'from the workstation', { timeoutMs: 15_000 });

    expect({ arrived, answered }).toEqual({
      arrived: expect.objectContaining({ conversation_id: 'team-x', sender: 'planner', payload: { step: 1 }, origin_hub: 'laptop' }),
      answered: expect.objectContaining({ conversation_id: 'team-x', sender: 'coder', origin_hub: 'workstation' }),
    });
    const onWorkstation = await api(workstation, 'GET', '/api/conversations');
    expect((onWorkstation.body['conversations'] as { id: string }[]).map((c) => c.id)).toEqual(['team-x']);
    expect((await conversationHolds(laptop, 'team-x', 2)).map((m) => [m.sender, m.content, m.origin_hub ?? 'here'])).toEqual([
      ['planner', 'from the laptop', 'here'],
      ['coder', 'from the workstation', 'workstation'],
    ]);
    const linked = await eventually(async () => {
      const now = await status(laptop);
      return now.outbox.pending === 0 && now.inbound.pending === 0 ? now : undefined;
    }, 'the laptop to have published and taken in everything');
    expect(linked).toMatchObject({
      enabled: true,
      hub_id: 'laptop',
      connected: true,
      server: expect.any(String),
      published: 1,
      received: 1,
      refused: 0,
      last_error: null,
    });
  });

  it('lists the agents online on the other hub, with their hub, until they leave', async () => {
    const server = await nats();
    const laptop = await federatedHub(server, 'laptop');
    const workstation = await federatedHub(server, 'workstation');
    await agent(laptop, 'planner');
    const coder = await agent(workstation, 'coder');
    const remote = async (hub: TestHub) => {
      const { body } = await api(hub, 'GET', '/api/agents');
      return (body['agents'] as { id: string; hub?: string; online: boolean }[]).filter((a) => a.hub !== undefined);
    };
    const seen = await eventually(async () => ((await remote(laptop)).length > 0 ? remote(laptop) : undefined), 'the coder listed on the laptop');
    expect(seen).toEqual([expect.objectContaining({ id: 'coder', hub: 'workstation', online: true, connections: 1 })]);
    expect(
      await eventually(async () => ((await remote(workstation)).length > 0 ? remote(workstation) : undefined), 'the planner listed on the workstation'),
    ).toEqual([expect.objectContaining({ id: 'planner', hub: 'laptop', online: true })]);
    await coder.close();
    await eventually(async () => ((await remote(laptop)).length === 0 ? true : undefined), 'the coder gone from the laptop');
  });

  it('stores every message once on both hubs, each hub’s own in the order it sent them, under concurrent senders', async () => {
    const server = await nats();
    const laptop = await federatedHub(server, 'laptop');
    const workstation = await federatedHub(server, 'workstation');
    const planner = await agent(laptop, 'planner');
    const coder = await agent(workstation, 'coder');
    const sends: Promise<void>[] = [];
    for (let round = 0; round < 5; round++) {
      sends.push(sendMany(planner, 'team-x', `p${round}-`, 40), sendMany(coder, 'team-x', `c${round}-`, 40));
    }
    await Promise.all(sends);
    const expected = (prefix: string) => Array.from({ length: 5 }, (_, round) => Array.from({ length: 40 }, (_, i) => `${prefix}${round}-${i}`)).flat();
    for (const hub of [laptop, workstation]) {
      const messages = await conversationHolds(hub, 'team-x', 400);
      expect(new Set(messages.map((m) => m.content)).size).toBe(400);
      expect(messages.filter((m) => m.sender === 'planner').map((m) => m.content)).toEqual(expected('p'));
      expect(messages.filter((m) => m.sender === 'coder').map((m) => m.content)).toEqual(expected('c'));
    }
  });

  it('keeps acknowledging sends while NATS is down and brings them across once it is back: nothing lost, nothing twice', async () => {
    const server = await nats();
    const laptop = await federatedHub(server, 'laptop');
    const workstation = await federatedHub(server, 'workstation');
    const planner = await agent(laptop, 'planner');
    const coder = await agent(workstation, 'coder');
    await sendMany(planner, 'ops', 'before-', 10);
    await conversationHolds(workstation, 'ops', 10);

    await server.kill();
    await sendMany(planner, 'ops', 'laptop-during-', 30);
    await sendMany(coder, 'ops', 'workstation-during-', 30);
    const down = await eventually(async () => {
      const now = await status(laptop);
      return now.connected ? undefined : now;
    }, 'the laptop to see NATS gone');
    expect(down.outbox.pending).toBeGreaterThanOrEqual(30);

    await server.start();
    const onLaptop = await conversationHolds(laptop, 'ops', 70, 30_000);
    const onWorkstation = await conversationHolds(workstation, 'ops', 70, 30_000);
    const laptopSent = [...Array.from({ length: 10 }, (_, i) => `before-${i}`), ...Array.from({ length: 30 }, (_, i) => `laptop-during-${i}`)];
    const workstationSent = Array.from({ length: 30 }, (_, i) => `workstation-during-${i}`);
    expect({
      laptop: [fromHub(onLaptop, undefined), fromHub(onLaptop, 'workstation')],
      workstation: [fromHub(onWorkstation, 'laptop'), fromHub(onWorkstation, undefined)],
    }).toEqual({ laptop: [laptopSent, workstationSent], workstation: [laptopSent, workstationSent] });
  });
});

describe('a NATS server that asks for credentials', () => {
  it('federates with the right user and password, and says why not with a wrong one', async () => {
    const server = await startNats({ args: ['--user', 'laptop', '--pass', 'right-secret'] });
    cleanups.push(() => server.stop());
    const right = await startHub({ federation: { ...federation(server, 'laptop'), user: 'laptop', password: 'right-secret' } });
    cleanups.push(() => right.stop());
    const wrong = await startHub({ federation: { ...federation(server, 'intruder'), user: 'laptop', password: 'guessed' } });
    cleanups.push(() => wrong.stop());
    const linked = await eventually(async () => ((await status(right)).connected ? status(right) : undefined), 'the hub with the right password connected');
    const refused = await eventually(
      async () => ((await status(wrong)).last_error !== null ? status(wrong) : undefined),
      'the hub with a wrong password to say why',
    );
    expect({ linked: linked.connected, refused: refused.connected, why: refused.last_error?.message }).toEqual({
      linked: true,
      refused: false,
      why: expect.stringMatching(/^could not reach NATS: .*(authorization|Authorization)/),
    });
  });
});

describe('a hub killed while it publishes', () => {
  it('publishes the rest after its restart, and the other hub stores every message once, in order', async () => {
    const server = await nats();
    const workstation = await federatedHub(server, 'workstation');
    const dataDir = folder();
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ federation: federation(server, 'laptop') }));
    let laptop: CliHub = await serveCli(dataDir);
    cleanups.push(() => kill(laptop));
    const planner = await connectAgent(laptop as unknown as TestHub, 'planner');
    const sent = Promise.all(Array.from({ length: 4 }, (_, round) => sendMany(planner, 'team-release', `r${round}-`, 250)));
    await sent;
    // Killed as soon as the last batch is acknowledged: its outbox is still publishing.
    await kill(laptop);
    const partial = (await storedMessages(workstation, 'team-release').catch(() => [])).length;

    laptop = await serveCli(dataDir, 15_000, laptop.port);
    const messages = await conversationHolds(workstation, 'team-release', 1000, 30_000);
    expect({
      before: partial < 1000,
      contents: messages.map((m) => m.content),
      origins: new Set(messages.map((m) => m.origin_hub)),
    }).toEqual({
      before: true,
      contents: Array.from({ length: 4 }, (_, round) => Array.from({ length: 250 }, (_, i) => `r${round}-${i}`)).flat(),
      origins: new Set(['laptop']),
    });
  });
});

describe('a three-node JetStream cluster', () => {
  it('keeps federating when the node a hub is connected to is killed', async () => {
    const nodes = await startNatsCluster(3);
    cleanups.push(() => Promise.all(nodes.map((node) => node.stop())));
    const settings = (hubId: string) => ({ url: nodes.map((node) => node.url), hubId, conversations: ['team-*'], replicas: 3 });
    const laptop = await startHub({ federation: settings('laptop') });
    cleanups.push(() => laptop.stop());
    const workstation = await startHub({ federation: settings('workstation') });
    cleanups.push(() => workstation.stop());
    const planner = await agent(laptop, 'planner');
    const coder = await agent(workstation, 'coder');
    await sendMany(planner, 'team-x', 'before-', 20);
    await conversationHolds(workstation, 'team-x', 20, 30_000);

    const server = (await status(laptop)).server ?? '';
    const killed = nodes.find((node) => node.url.endsWith(server)) ?? nodes[0];
    await killed?.kill();
    await sendMany(planner, 'team-x', 'after-', 20);
    await sendMany(coder, 'team-x', 'reply-', 5);
    const onWorkstation = await conversationHolds(workstation, 'team-x', 45, 30_000);
    const onLaptop = await conversationHolds(laptop, 'team-x', 45, 30_000);
    const laptopSent = ['before-', 'after-'].flatMap((prefix) => Array.from({ length: 20 }, (_, i) => `${prefix}${i}`));
    expect({
      killedTheLaptopsNode: killed?.url.endsWith(server),
      workstation: fromHub(onWorkstation, 'laptop'),
      laptop: fromHub(onLaptop, 'workstation'),
    }).toEqual({ killedTheLaptopsNode: true, workstation: laptopSent, laptop: Array.from({ length: 5 }, (_, i) => `reply-${i}`) });
    // The failover (the client finding another node, JetStream electing new leaders) takes 10-15 s on an idle
    // two-core machine; the waits above allow 30 s each, and the test as long as they may take together.
  }, 120_000);
});

describe('tasks across hubs', () => {
  it('runs a task sent on one hub on an agent of another, and tells the master every step and the result', async () => {
    const server = await nats();
    const laptop = await federatedHub(server, 'laptop');
    const workstation = await federatedHub(server, 'workstation');
    const coder: Agent = await connect({ url: workstation.wsUrl, token: workstation.token, agent: 'coder', stateDir: false, profile: { kind: 'reviewer' } });
    cleanups.push(() => coder.close());
    coder.handle('review', async (task, ctx) => {
      await ctx.progress(0.5, 'half way');
      return { reviewed: task.payload, by: 'coder' };
    });
    const planner = await agent(laptop, 'planner');
    await eventually(async () => {
      const { body } = await api(laptop, 'GET', '/api/agents');
      return (body['agents'] as { id: string; hub?: string }[]).some((a) => a.id === 'coder' && a.hub === 'workstation') ? true : undefined;
    }, 'the coder listed on the laptop');

    const sent = (await planner.request({ type: 'task_send', task: { to: 'reviewer', cmd: 'review', payload: { pr: 42 } } }))['task'] as TaskRecord;
    const finished = await taskFinished(planner, sent.task_id, 20_000);
    const events = planner.frames.filter((f) => f.type === 'task_updated' && (f['task'] as TaskRecord).task_id === sent.task_id).map((f) => f['event']);
    expect({ state: finished.state, result: finished.result, holder: finished.assigned_to, events }).toEqual({
      state: 'completed',
      result: { reviewed: { pr: 42 }, by: 'coder' },
      holder: 'coder@workstation',
      events: expect.arrayContaining(['accepted', 'progress', 'completed']),
    });
    const { body } = await api(workstation, 'GET', '/api/tasks');
    expect((body['tasks'] as TaskRecord[]).map((t) => [t.from, t.to, t.state])).toEqual([['planner@laptop', 'coder', 'completed']]);
  });

  it('runs the task again when the worker’s hub is killed mid-task, and the master’s task completes once', async () => {
    const server = await nats();
    const laptop = await federatedHub(server, 'laptop');
    const dataDir = folder();
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ federation: federation(server, 'workstation') }));
    let workstation = await serveCli(dataDir);
    cleanups.push(() => kill(workstation));
    const scripts = folder();
    const input = (phase: number) => ({ url: workstation.wsUrl, token: workstation.token, stateDir: join(scripts, 'state'), reconnect: FAST, phase });
    const first = runScript(scripts, 'worker-1', WORKER, input(1));
    cleanups.push(() => first.kill());
    await first.next('ready');
    const planner = await agent(laptop, 'planner');
    await eventually(
      async () => {
        const { body } = await api(laptop, 'GET', '/api/agents');
        return (body['agents'] as { id: string; hub?: string }[]).some((a) => a.id === 'coder' && a.hub === 'workstation') ? true : undefined;
      },
      'the coder listed on the laptop',
      15_000,
    );

    const sent = (await planner.request({ type: 'task_send', task: { to: 'coder', cmd: 'review', payload: { pr: 7 }, timeout_ms: 3000, max_attempts: 5 } }))[
      'task'
    ] as TaskRecord;
    await first.next('running');
    await kill(workstation);
    await first.kill();

    workstation = await serveCli(dataDir, 15_000, workstation.port);
    const second = runScript(scripts, 'worker-2', WORKER, input(2));
    cleanups.push(() => second.kill());
    const finished = await taskFinished(planner, sent.task_id, 30_000);
    const completions = planner.frames.filter(
      (f) => f.type === 'task_updated' && f['event'] === 'completed' && (f['task'] as TaskRecord).task_id === sent.task_id,
    );
    const onWorkstation = (await api(workstation as unknown as TestHub, 'GET', '/api/tasks')).body['tasks'] as TaskRecord[];
    expect({
      state: finished.state,
      result: finished.result,
      completions: completions.length,
      copies: onWorkstation.map((t) => [t.from, t.state]),
    }).toEqual({ state: 'completed', result: { reviewed: { pr: 7 }, phase: 2 }, completions: 1, copies: [['planner@laptop', 'completed']] });
  }, 60_000);
});

/** A worker on the workstation: in phase 1 it starts the review and never finishes; in phase 2 it finishes it. */
const WORKER = `
const agent = await sdk.connect({ url: input.url, token: input.token, agent: 'coder', stateDir: input.stateDir, reconnect: input.reconnect });
agent.handle('review', async (task) => {
  say('running', { task_id: task.task_id });
  if (input.phase === 1) await new Promise(() => {});
  return { reviewed: task.payload, phase: input.phase };
});
say('ready');
`;
