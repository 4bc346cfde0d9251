/** What the dashboard reads besides messages: agents with their load, messages and tasks per minute, and live counters. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../electron/hub/store/migrations.js';
import type { TaskRecord } from '../../shared/index.js';
import { agentToken, api, connectAgent, tempDir, type TestClient, type TestHub, useHub } from '../helpers/hub.js';
import { errorBody } from '../helpers/raw-http.js';
import { connectWorker, manualClock, sendTask, startClockedHub } from '../helpers/tasks.js';

const MINUTE = 60_000;

describe('agents for the dashboard', () => {
  const ctx = useHub();

  it('lists each agent with online, last_seen, queue_depth and the tasks it holds', async () => {
    const child = ctx.track(await connectWorker(ctx.hub, 'child'));
    const master = await ctx.admin('master');
    const task = await sendTask(master, { to: 'child', cmd: 'work' });
    await child.next('task_assigned');
    const agentsNow = async (): Promise<unknown> =>
      ((await api(ctx.hub, 'GET', '/api/agents')).body['agents'] as { id: string }[]).find((a) => a.id === 'child');
    const holding = await agentsNow();
    await child.request({ type: 'task_accept', task_id: task.task_id });
    await child.request({ type: 'task_result', task_id: task.task_id, status: 'completed', result: { ok: true } });
    const done = await agentsNow();
    const listed = (await master.request({ type: 'list_agents' }))['agents'] as { id: string; tasks_in_flight: number }[];
    const child0 = {
      id: 'child',
      display_name: null,
      kind: null,
      capabilities: [],
      online: true,
      connections: 1,
      last_seen: expect.any(String),
      queue_depth: 0,
      processes: [expect.any(Object)],
    };
    expect({ holding, done, overWs: listed.map((a) => [a.id, a.tasks_in_flight]) }).toEqual({
      holding: { ...child0, tasks_in_flight: 1 },
      done: { ...child0, tasks_in_flight: 0 },
      overWs: [
        ['child', 0],
        ['master', 0],
      ],
    });
  });

  it('lists agents that only work over HTTP (reporting metrics, posting messages) as known and offline, with when they were last seen', async () => {
    const reporter = await agentToken(ctx.hub, 'reporter');
    const poster = await agentToken(ctx.hub, 'poster');
    const interaction = { agent_id: 'reporter', timestamp: new Date().toISOString(), response_time_ms: 120, success: true };
    expect((await api(ctx.hub, 'POST', '/api/metrics', { token: reporter, body: interaction })).status).toBe(201);
    expect((await api(ctx.hub, 'POST', '/api/messages', { token: poster, body: { conversation_id: 'general', content: 'hi' } })).status).toBe(201);
    // The bare admin token (the CLI) is the person at the machine, not an agent.
    const agents = (await api(ctx.hub, 'GET', '/api/agents')).body['agents'] as { id: string; online: boolean; last_seen: string | null }[];
    expect(agents.map((a) => [a.id, a.online, a.last_seen !== null])).toEqual([
      ['poster', false, true],
      ['reporter', false, true],
    ]);
  });

  it('counts every message and task in /ws/status with counters that only grow, for rates from deltas', async () => {
    const alice = await ctx.admin('alice');
    await alice.request({ type: 'send_message', conversation_id: 'general', content: 'one' });
    await alice.request({ type: 'send_message', conversation_id: 'general', content: 'two' });
    await api(ctx.hub, 'POST', '/api/tasks', { body: { to: 'nobody', cmd: 'wait' } });
    const { body } = await api(ctx.hub, 'GET', '/ws/status');
    expect({
      uptime: typeof body['uptime'],
      connections: body['total_connections'],
      online: body['agents_online'],
      total_messages: body['total_messages'],
      last_seq: body['last_seq'],
      total_tasks: body['total_tasks'],
    }).toEqual({
      uptime: 'number',
      connections: 1,
      online: 1,
      total_messages: 2,
      last_seq: 2,
      total_tasks: 1,
    });
  });
});

describe('messages and tasks per minute', () => {
  let hub: TestHub | undefined;
  const clients: TestClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await hub?.stop();
  });

  it('counts the messages stored and tasks created in each of the last N minutes, oldest first, the current minute last', async () => {
    const clock = manualClock(Date.parse('2026-11-22T10:00:30Z'));
    hub = await startClockedHub({}, clock);
    const alice = await connectAgent(hub, 'alice');
    clients.push(alice);
    const say = (content: string): Promise<unknown> => alice.request({ type: 'send_message', conversation_id: 'general', content });
    await say('before the window');
    clock.advance(3 * MINUTE);
    await say('at 10:03');
    clock.advance(MINUTE);
    await say('at 10:04');
    await say('again at 10:04');
    const task = (await api(hub, 'POST', '/api/tasks', { body: { to: 'nobody', cmd: 'wait' } })).body['task'] as TaskRecord;
    const rates = await api(hub, 'GET', '/api/stats/rates?minutes=3');
    const at = (time: string): number => Date.parse(`2026-11-22T${time}:00Z`);
    expect({ rates, taskAt: task.created_at }).toEqual({
      rates: {
        status: 200,
        body: {
          status: 'ok',
          minutes: [
            { minute: at('10:02'), messages: 0, tasks: 0 },
            { minute: at('10:03'), messages: 1, tasks: 0 },
            { minute: at('10:04'), messages: 2, tasks: 1 },
          ],
        },
      },
      taskAt: '2026-11-22T10:04:30.000Z',
    });
    const hour = (await api(hub, 'GET', '/api/stats/rates')).body['minutes'] as { minute: number; messages: number }[];
    expect({ entries: hour.length, first: hour[0]?.minute, messages: hour.reduce((sum, m) => sum + m.messages, 0) }).toEqual({
      entries: 60,
      first: at('09:05'),
      messages: 4,
    });
  });

  it('counts the messages a database held before the upgrade that counts them apart', async () => {
    const dataDir = tempDir();
    const db = new Database(join(dataDir, 'switchboard.db'));
    for (const sql of MIGRATIONS.slice(0, 10)) db.exec(sql);
    db.pragma('user_version = 10');
    const insert = db.prepare("INSERT INTO messages (conversation_id, sender, message_type, content, created_at) VALUES ('general', 'alice', 'message', ?, ?)");
    const at = (time: string): number => Date.parse(`2026-11-22T${time}Z`);
    insert.run('one', at('10:03:10'));
    insert.run('two', at('10:03:50'));
    insert.run('three', at('10:04:05'));
    db.close();
    hub = await startClockedHub({ dataDir }, manualClock(at('10:04:30')));
    const alice = await connectAgent(hub, 'alice');
    clients.push(alice);
    await alice.request({ type: 'send_message', conversation_id: 'general', content: 'after the upgrade' });
    const rates = (await api(hub, 'GET', '/api/stats/rates?minutes=2')).body['minutes'];
    expect(rates).toEqual([
      { minute: at('10:03:00'), messages: 2, tasks: 0 },
      { minute: at('10:04:00'), messages: 2, tasks: 0 },
    ]);
  });

  it('takes 1 to 1440 minutes', async () => {
    hub = await startClockedHub({}, manualClock());
    const answers = await Promise.all(
      ['0', '1441', 'ten', '1440'].map(async (n) => (await api(hub as TestHub, 'GET', `/api/stats/rates?minutes=${n}`)).status),
    );
    const refused = await api(hub, 'GET', '/api/stats/rates?minutes=1441');
    expect({ answers, refused: refused.body }).toEqual({
      answers: [400, 400, 400, 200],
      refused: errorBody('SB_ERR_VALIDATION', 'invalid query: minutes: Too big: expected number to be <=1440'),
    });
  });
});
