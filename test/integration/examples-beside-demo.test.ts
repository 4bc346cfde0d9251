/**
 * The README's examples running beside `npm run demo` on one real hub, as a person tries them: the
 * Python echo agent in `general` while the demo's team talks there, and a person posting. Nobody may
 * answer anybody in a circle, so the loop breaker never pauses a conversation.
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationInfo, StoredMessage, TaskRecord } from '../../shared/index.js';
import { ScriptRun } from '../helpers/cli-process.js';
import { api, startHub, tempDir, type TestHub } from '../helpers/hub.js';
import { eventually } from '../helpers/wait.js';

const PYTHON = process.env['PYTHON'] ?? 'python3';
const ECHO = fileURLToPath(new URL('../../examples/python/echo_agent.py', import.meta.url));
const WORKER = fileURLToPath(new URL('../../examples/python/polling_worker.py', import.meta.url));
const DEMO = fileURLToPath(new URL('../../dist/scripts/demo.js', import.meta.url));
const MASTER = fileURLToPath(new URL('../../dist/examples/master.js', import.meta.url));
const CHILD = fileURLToPath(new URL('../../dist/examples/child.js', import.meta.url));

const running: ChildProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function run(command: string, argv: string[]): ScriptRun {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' };
  delete env['SWITCHBOARD_HOME']; // the caller's shell must not point the scripts at another hub
  const script = new ScriptRun(command, argv, env);
  running.push(script.child);
  return script;
}

async function post(hub: TestHub, content: string): Promise<number> {
  const { status, body } = await api(hub, 'POST', '/api/messages', { body: { conversation_id: 'general', content }, headers: { 'x-agent-name': 'alice' } });
  if (status !== 201) throw new Error(`post refused: ${JSON.stringify(body)}`);
  return (body['message'] as StoredMessage).seq;
}

async function general(hub: TestHub): Promise<StoredMessage[]> {
  return (await api(hub, 'GET', '/api/conversations/general/messages?since=0&limit=1000')).body['messages'] as StoredMessage[];
}

describe('the task examples beside the demo', () => {
  it(
    'the TypeScript master and child and the Python polling worker finish their tasks while the demo runs, and take none of the demo’s jobs',
    { timeout: 90_000 },
    async () => {
      const hub = await startHub();
      cleanups.push(() => hub.stop());
      const dir = tempDir('switchboard-beside-demo-');
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));

      const demo = run(process.execPath, [DEMO, '--duration', '10', '--data-dir', hub.dataDir]);
      await demo.until(/Agents online/, 'the demo team', 20_000);
      const child = run(process.execPath, [CHILD, '--data-dir', hub.dataDir]);
      await child.until(/waiting for verify_chart tasks/, 'the child', 20_000);
      const sent = await api(hub, 'POST', '/api/relay/send', { body: { from: 'master', to: 'poller', type: 'task', cmd: 'verify_chart' } });
      const worker = run(PYTHON, [
        WORKER,
        '--data-dir',
        hub.dataDir,
        '--name',
        'poller',
        '--state',
        join(dir, 'worker.json'),
        '--once',
        '1',
        '--interval',
        '0.2',
      ]);
      const master = run(process.execPath, [MASTER, '--data-dir', hub.dataDir, 'u1', 'u2']);
      const codes = { master: await master.end(60_000), worker: await worker.end(60_000), demo: await demo.end(60_000) };
      child.child.kill('SIGINT');
      await child.end();

      const tasks = (await api(hub, 'GET', '/api/tasks?limit=1000')).body['tasks'] as TaskRecord[];
      const conversations = (await api(hub, 'GET', '/api/conversations')).body['conversations'] as ConversationInfo[];
      expect({
        codes,
        poller: tasks.filter((t) => t.task_id === sent.body['task_id']).map((t) => t.state),
        childTook: [...new Set(tasks.filter((t) => t.assigned_to === 'child_bazi').map((t) => `${t.from} → ${t.to}: ${t.state}`))],
        demoJobsToExamples: tasks.filter((t) => t.to === 'worker' && t.assigned_to !== null && !t.assigned_to.startsWith('worker-')).length,
        paused: conversations.filter((c) => c.paused !== null).map((c) => c.id),
      }).toEqual({
        codes: { master: 0, worker: 0, demo: 0 },
        poller: ['completed'],
        childTook: ['master → child: completed'],
        demoJobsToExamples: 0,
        paused: [],
      });
    },
  );
});

describe('the echo example beside the demo', () => {
  it('answers a person once, leaves the history and the demo’s agents’ answers alone, and no conversation is paused', { timeout: 90_000 }, async () => {
    const hub = await startHub();
    cleanups.push(() => hub.stop());
    const dir = tempDir('switchboard-beside-demo-');
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));

    const history = await post(hub, 'posted before any agent started');
    const demo = run(process.execPath, [DEMO, '--duration', '12', '--data-dir', hub.dataDir]);
    await demo.until(/Agents online/, 'the demo team', 20_000);
    const echo = run(PYTHON, [ECHO, '--data-dir', hub.dataDir, '--conversation', 'general', '--state', join(dir, 'echo.json')]);
    await echo.until(/"since"/, 'the echo agent', 20_000);
    const person = await post(hub, '@planner are you there?');
    await eventually(async () => ((await general(hub)).some((m) => m.in_reply_to === person) ? true : undefined), 'the echo', 20_000);
    expect(await demo.end(60_000)).toBe(0);
    echo.child.kill('SIGINT');
    await echo.end();

    const messages = await general(hub);
    const bySeq = new Map(messages.map((m) => [m.seq, m]));
    const echoes = messages.filter((m) => m.sender === 'echo');
    const conversations = (await api(hub, 'GET', '/api/conversations')).body['conversations'] as ConversationInfo[];
    expect({
      paused: conversations.filter((c) => c.paused !== null).map((c) => c.id),
      answersToPerson: echoes.filter((m) => m.in_reply_to === person).map((m) => m.content),
      historyAnswered: echoes.some((m) => m.in_reply_to === history),
      echoesAnswered: echoes.filter((m) => bySeq.get(m.in_reply_to ?? 0)?.sender === 'echo').length,
      echoesWithoutReplyTo: echoes.filter((m) => m.in_reply_to === undefined).length,
    }).toEqual({
      paused: [],
      answersToPerson: ['echo: @planner are you there?'],
      historyAnswered: false,
      echoesAnswered: 0,
      echoesWithoutReplyTo: 0,
    });
    // The planner answers "@planner" only from the coder: never the person, never the echo of a coder's question.
    expect(messages.filter((m) => m.sender === 'planner' && m.content.startsWith('Nice work.')).length).toBeLessThanOrEqual(
      messages.filter((m) => m.sender === 'coder' && m.content.includes('@planner')).length,
    );
    expect(echoes.length).toBeGreaterThan(1); // it answered the demo's agents too, once each, without a loop
  });
});
