/**
 * The runnable examples as people run them, built into dist/ by the global setup: the TypeScript master
 * and child (examples/) against a real hub, and the demo (scripts/demo.ts), which starts a hub of its own
 * when none answers and stops it again. Each runs as a child process with --data-dir.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredMessage, TaskRecord } from '../../shared/index.js';
import { startReceiver } from '../helpers/callback-receiver.js';
import { ScriptRun } from '../helpers/cli-process.js';
import { api, startHub, tempDir, type TestHub } from '../helpers/hub.js';
import { eventually } from '../helpers/wait.js';

const MASTER = fileURLToPath(new URL('../../dist/examples/master.js', import.meta.url));
const CHILD = fileURLToPath(new URL('../../dist/examples/child.js', import.meta.url));
const DEMO = fileURLToPath(new URL('../../dist/scripts/demo.js', import.meta.url));

const running: ChildProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function hubFor(settings: Parameters<typeof startHub>[0] = {}): Promise<TestHub> {
  const hub = await startHub(settings);
  cleanups.push(() => hub.stop());
  return hub;
}

function folder(): string {
  const dir = tempDir('switchboard-examples-');
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** One run of a built script with node, its output collected as it comes. */
class Script extends ScriptRun {
  constructor(argv: string[]) {
    const env = { ...process.env };
    delete env['SWITCHBOARD_HOME']; // the caller's shell must not point the scripts at another hub
    super(process.execPath, argv, env);
    running.push(this.child);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the master and child examples', () => {
  it('hand a verify_chart task from the master to the child, which reports progress, and the master prints the completed result', async () => {
    const hub = await hubFor();
    const child = new Script([CHILD, '--data-dir', hub.dataDir]);
    await child.until(/waiting for verify_chart tasks/);
    const master = new Script([MASTER, '--data-dir', hub.dataDir, 'u123']);
    const code = await master.end();
    child.child.kill('SIGINT');
    const tasks = (await api(hub, 'GET', '/api/tasks?cmd=verify_chart')).body['tasks'] as TaskRecord[];
    expect({
      code,
      result: /^completed t_\S+: (.*)$/m.exec(master.stdout)?.[1],
      progress: master.stdout.match(/progress: .*/g),
      childExit: await child.end(),
      tasks: tasks.map((t) => ({ state: t.state, to: t.to, assigned_to: t.assigned_to, payload: t.payload })),
    }).toEqual({
      code: 0,
      result: expect.stringMatching(/^\{"summary":"chart of u123 verified","score":0\.\d+\}$/),
      progress: ['progress: checked 25% of the chart', 'progress: checked 50% of the chart', 'progress: checked 75% of the chart'],
      childExit: 0,
      tasks: [{ state: 'completed', to: 'child', assigned_to: 'child_bazi', payload: { user_id: 'u123' } }],
    });
  });

  it('keep a task sent before any child is online until the child connects, and post the finished task to the callback URL', async () => {
    const hub = await hubFor();
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const master = new Script([MASTER, '--data-dir', hub.dataDir, '--callback-url', `${receiver.url}/done`, 'u1', 'u2']);
    await master.until(/sent t_\S+ for u2/);
    const child = new Script([CHILD, '--data-dir', hub.dataDir]);
    const code = await master.end();
    child.child.kill('SIGINT');
    await eventually(() => (receiver.requests.length === 2 ? true : undefined), 'two callbacks');
    const callbacks = receiver.requests.map((r) => JSON.parse(r.body) as { status: string; result: { summary: string } });
    expect({
      code,
      completed: master.stdout.match(/^completed t_\S+: \{"summary":"chart of u\d verified"/gm)?.length,
      callbacks: callbacks.map((c) => [c.status, c.result.summary]).sort(),
      paths: receiver.requests.map((r) => r.path),
    }).toEqual({
      code: 0,
      completed: 2,
      callbacks: [
        ['completed', 'chart of u1 verified'],
        ['completed', 'chart of u2 verified'],
      ],
      paths: ['/done', '/done'],
    });
  });
});

describe('the demo', () => {
  it(
    'starts a hub when none answers, keeps its agents talking, streaming and running tasks for the given duration, then stops the hub',
    { timeout: 40_000 },
    async () => {
      const dir = folder();
      const demo = new Script([DEMO, '--duration', '3', '--data-dir', dir, '--port', '0']);
      const code = await demo.end(30_000);
      const { pid } = JSON.parse(readFileSync(join(dir, 'connection.json'), 'utf8')) as { pid: number };
      const hubStillRunning = isRunning(pid);

      // What the agents did is in the hub's database: read it with a hub started again on the same folder.
      const hub = await hubFor({ dataDir: dir });
      const general = (await api(hub, 'GET', '/api/conversations/general/messages?since=0')).body['messages'] as StoredMessage[];
      const tasks = (await api(hub, 'GET', '/api/tasks?limit=1000')).body as { tasks: TaskRecord[]; counts: Record<string, number> };
      const reported = (await api(hub, 'GET', '/api/metrics/agents')).body['agents'] as { agent: string; count: number }[];
      expect({
        code,
        started: demo.stdout.includes('Started a hub at http://127.0.0.1:'),
        statusLine: /messages \d+ \(\d+ streamed, \d+ direct\) · jobs sent \d+, completed \d+, failed \d+/.test(demo.stdout),
        stopped: demo.stdout.includes('Stopped, and stopped the hub.'),
        hubStillRunning,
        streamedByPlanner: general.some(
          (m) => m.sender === 'planner' && m.message_type === 'llm' && m.content.includes('Next up:') && m.incomplete === undefined,
        ),
        completed: (tasks.counts['completed'] ?? 0) > 0,
        failed: tasks.tasks.some((t) => t.state === 'failed' && t.to === 'worker' && /fail|corrupt|timed out/.test(t.error ?? '')),
        workersReportMetrics: reported.some((r) => r.agent.startsWith('worker-') && r.count > 0),
      }).toEqual({
        code: 0,
        started: true,
        statusLine: true,
        stopped: true,
        hubStillRunning: false,
        streamedByPlanner: true,
        completed: true,
        failed: true,
        workersReportMetrics: true,
      });
    },
  );

  it('uses a hub that already answers at the connection file’s address, and leaves it running', { timeout: 30_000 }, async () => {
    const hub = await hubFor();
    const demo = new Script([DEMO, '--duration', '1', '--data-dir', hub.dataDir]);
    const code = await demo.end(20_000);
    const health = await api(hub, 'GET', '/api/health', { token: null });
    const general = (await api(hub, 'GET', '/api/conversations/general/messages?since=0')).body['messages'] as StoredMessage[];
    expect({
      code,
      using: demo.stdout.includes(`Using the hub at ${hub.http}`),
      started: demo.stdout.includes('Started a hub'),
      stopped: demo.stdout.includes('Stopped.'),
      health: health.body['status'],
      planner: general.some((m) => m.sender === 'planner'),
    }).toEqual({ code: 0, using: true, started: false, stopped: true, health: 'healthy', planner: true });
  });
});
