/**
 * The Python example agents (examples/python, standard library only) against a real hub, each run as a
 * child process with --data-dir pointing at the hub's folder, the way a user runs them. python3 must be
 * installed: without it these tests fail, they do not skip.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../shared/index.js';
import { ScriptRun } from '../helpers/cli-process.js';
import { api, tempDir, useHub, type TestHub } from '../helpers/hub.js';
import { rawRequest } from '../helpers/raw-http.js';

const PYTHON = process.env['PYTHON'] ?? 'python3';
const EXAMPLES = fileURLToPath(new URL('../../examples/python/', import.meta.url));

const ctx = useHub();
const running: ChildProcess[] = [];
const folders: string[] = [];

/** Why python3 cannot run the examples, or undefined when it can; asked once. */
let pythonProblem: string | undefined | null = null;

function findPythonProblem(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' });
  const version = probe.stdout?.trim() ?? '';
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (probe.error === undefined && probe.status === 0 && (major > 3 || (major === 3 && minor >= 8))) return undefined;
  return (
    `the Python example tests need Python 3.8 or newer as "${PYTHON}" on PATH (or set PYTHON=/path/to/python3): ` +
    (probe.error?.message ?? (probe.stderr || `found version ${version}`))
  );
}

// In beforeEach, not beforeAll: without python3 every test fails with this message instead of being skipped.
beforeEach(() => {
  if (pythonProblem === null) pythonProblem = findPythonProblem();
  if (pythonProblem !== undefined) throw new Error(pythonProblem);
});

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function folder(): string {
  const dir = tempDir('switchboard-python-');
  folders.push(dir);
  return dir;
}

/** One run of an example script, its output collected as it comes. */
class Python extends ScriptRun {
  /** `argv`: the script and its arguments (or -c and a program). */
  constructor(argv: string[]) {
    const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' };
    // Settings from the caller's shell must not point the scripts at another hub or token.
    for (const name of ['SWITCHBOARD_HOME', 'LYNKER_API_BASE', 'RELAY_API_KEY']) delete env[name];
    super(PYTHON, argv, env);
    running.push(this.child);
  }

  /** The JSON lines printed so far. */
  get lines(): Record<string, unknown>[] {
    return this.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

/** Runs a script to its end; fails with its output unless it exits with code 0. */
async function runToEnd(script: string, args: string[]): Promise<Python> {
  const run = new Python([join(EXAMPLES, script), ...args]);
  const code = await run.end();
  if (code !== 0) throw new Error(`${script} exited with ${code}: stdout ${JSON.stringify(run.stdout)}, stderr ${JSON.stringify(run.stderr)}`);
  return run;
}

async function post(hub: TestHub, content: string, sender = 'alice'): Promise<number> {
  const { status, body } = await api(hub, 'POST', '/api/messages', { body: { conversation_id: 'general', content }, headers: { 'x-agent-name': sender } });
  if (status !== 201) throw new Error(`post refused: ${JSON.stringify(body)}`);
  return (body['message'] as StoredMessage).seq;
}

async function stored(hub: TestHub): Promise<{ seq: number; sender: string; content: string; client_msg_id?: string | undefined }[]> {
  const { body } = await api(hub, 'GET', '/api/conversations/general/messages?since=0&limit=1000');
  return (body['messages'] as StoredMessage[]).map((m) => ({
    seq: m.seq,
    sender: m.sender,
    content: m.content,
    ...(m.client_msg_id === undefined ? {} : { client_msg_id: m.client_msg_id }),
  }));
}

const echoArgs = (hub: TestHub, state: string, n: number): string[] => [
  '--data-dir',
  hub.dataDir,
  '--conversation',
  'general',
  '--state',
  state,
  '--since',
  '0', // these tests post before the agent starts: answer the history too
  '--once',
  String(n),
];

describe('Python echo agent', () => {
  it('answers two messages posted over HTTP with "echo: <content>", and a restarted agent answers only the message posted since', async () => {
    const state = join(folder(), 'echo-state.json');
    const hello = await post(ctx.hub, 'hello');
    const agent = new Python([join(EXAMPLES, 'echo_agent.py'), ...echoArgs(ctx.hub, state, 2)]);
    await agent.until((a) => a.lines.some((l) => l['answered'] === hello), 'the answer to the first message');
    // Posted while the agent waits on its long-poll.
    const world = await post(ctx.hub, 'world');
    expect(await agent.end()).toBe(0);
    const afterFirstRun = await stored(ctx.hub);

    const again = await post(ctx.hub, 'again');
    const restarted = await runToEnd('echo_agent.py', echoArgs(ctx.hub, state, 1));

    const replies = (await stored(ctx.hub)).filter((m) => m.sender === 'echo');
    expect({
      firstRun: agent.lines.filter((l) => 'answered' in l).map((l) => l['answered']),
      afterFirstRun: afterFirstRun.map(({ sender, content, client_msg_id }) => ({ sender, content, client_msg_id })),
      restarted: restarted.lines.filter((l) => 'answered' in l).map((l) => l['answered']),
      replies: replies.map((m) => [m.content, m.client_msg_id]),
    }).toEqual({
      firstRun: [hello, world],
      afterFirstRun: [
        { sender: 'alice', content: 'hello', client_msg_id: undefined },
        { sender: 'echo', content: 'echo: hello', client_msg_id: `echo-${hello}` },
        { sender: 'alice', content: 'world', client_msg_id: undefined },
        { sender: 'echo', content: 'echo: world', client_msg_id: `echo-${world}` },
      ],
      restarted: [again],
      replies: [
        ['echo: hello', `echo-${hello}`],
        ['echo: world', `echo-${world}`],
        ['echo: again', `echo-${again}`],
      ],
    });
  });

  it('stores no second reply when an agent that lost its cursor answers the same messages again', async () => {
    const state = join(folder(), 'echo-state.json');
    const seqs = [await post(ctx.hub, 'one'), await post(ctx.hub, 'two')];
    await runToEnd('echo_agent.py', echoArgs(ctx.hub, state, 2));
    const before = await stored(ctx.hub);
    // As if the agent had crashed after posting its replies but before saving its cursor.
    rmSync(state);
    const rerun = await runToEnd('echo_agent.py', echoArgs(ctx.hub, state, 2));
    expect({
      rerun: rerun.lines.filter((l) => 'answered' in l).map((l) => [l['answered'], l['duplicate']]),
      after: await stored(ctx.hub),
    }).toEqual({
      rerun: seqs.map((seq) => [seq, true]),
      after: before,
    });
    expect(before.filter((m) => m.sender === 'echo')).toHaveLength(2);
  });
});

interface Recorded {
  method: string;
  path: string;
  body: string;
}

/**
 * A recording HTTP proxy in front of the hub, with its own data folder whose connection.json points at it:
 * it counts the worker's calls, and answers the first `failCallbacks` callbacks with 503 itself.
 */
async function startProxy(hub: TestHub, failCallbacks: number): Promise<{ dataDir: string; calls: Recorded[]; close(): Promise<void> }> {
  const calls: Recorded[] = [];
  let toFail = failCallbacks;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      calls.push({ method: req.method ?? '', path: req.url ?? '', body: body.toString('utf8') });
      if (req.url === '/api/relay/callback' && toFail > 0) {
        toFail -= 1;
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'error', error: { code: 'SB_ERR_STORAGE', message: 'refused by the test proxy' } }));
        return;
      }
      const upstream = request(
        { host: '127.0.0.1', port: hub.port, method: req.method, path: req.url, headers: { ...req.headers, host: `127.0.0.1:${hub.port}` }, agent: false },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end(body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const dataDir = folder();
  writeFileSync(
    join(dataDir, 'connection.json'),
    JSON.stringify({ url: `ws://127.0.0.1:${port}/ws`, http: `http://127.0.0.1:${port}`, port, token: hub.token, pid: process.pid }),
  );
  return {
    dataDir,
    calls,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** POST /api/relay/send the way the seed's curl example does: the key in X-Relay-API-Key. */
async function relaySend(hub: TestHub, task: Record<string, unknown>): Promise<string> {
  const response = await rawRequest(hub.port, {
    method: 'POST',
    path: '/api/relay/send',
    headers: { 'X-Relay-API-Key': hub.token, 'Content-Type': 'application/json' },
    body: JSON.stringify(task),
  });
  const body = response.body as { status: string; task_id: string };
  if (response.status !== 200 || body.status !== 'ok') throw new Error(`send refused: ${JSON.stringify(response)}`);
  return body.task_id;
}

async function taskStatus(hub: TestHub, taskId: string): Promise<Record<string, unknown>> {
  return (await api(hub, 'GET', `/api/relay/task-status/${taskId}`)).body;
}

async function completions(hub: TestHub): Promise<unknown[]> {
  const logs = (await api(hub, 'GET', '/api/relay/logs?limit=1000')).body['logs'] as Record<string, unknown>[];
  return logs.filter((entry) => entry['kind'] === 'task.completed').map((entry) => entry['subject']);
}

const callbacksIn = (calls: Recorded[]): unknown[] =>
  calls.filter((c) => c.method === 'POST' && c.path === '/api/relay/callback').map((c) => (JSON.parse(c.body) as { task_id: string }).task_id);

const workerArgs = (dataDir: string, state: string, once = 1): string[] => [
  '--data-dir',
  dataDir,
  '--name',
  'child',
  '--state',
  state,
  '--once',
  String(once),
  '--interval',
  '0.05',
  '--retry-base',
  '0.05',
];

describe('Python polling worker', () => {
  it('completes a task sent with the seed relay API, retrying its callback after a 503, and leaves tasks for other agents alone', async () => {
    const proxy = await startProxy(ctx.hub, 1);
    try {
      const state = join(folder(), 'child_worker_state.json');
      const mine = await relaySend(ctx.hub, {
        from: 'master',
        to: 'child',
        type: 'task',
        cmd: 'verify_chart',
        payload: { user_id: 'u123' },
        text: 'please verify',
      });
      const theirs = await relaySend(ctx.hub, { from: 'master', to: 'someone-else', type: 'task', cmd: 'verify_chart' });
      const worker = await runToEnd('polling_worker.py', workerArgs(proxy.dataDir, state));
      const saved = JSON.parse(readFileSync(state, 'utf8')) as { done: Record<string, { status: string }>; pending: Record<string, unknown> };
      expect({
        mine: await taskStatus(ctx.hub, mine),
        theirs: (await taskStatus(ctx.hub, theirs))['task_status'],
        callbacks: callbacksIn(proxy.calls),
        completions: await completions(ctx.hub),
        reported: worker.lines.filter((l) => 'task_id' in l),
        saved: { done: Object.keys(saved.done), pending: saved.pending },
      }).toMatchObject({
        mine: { task_status: 'completed', state: 'completed', assigned_to: 'child', result: { summary: 'chart of u123 verified', score: expect.any(Number) } },
        theirs: 'pending',
        // The first try was refused with 503; the retry went through.
        callbacks: [mine, mine],
        completions: [mine],
        reported: [{ task_id: mine, cmd: 'verify_chart', status: 'done', changed: true }],
        saved: { done: [mine], pending: {} },
      });
    } finally {
      await proxy.close();
    }
  });

  it('restarted with the same state file, takes only the new task and never calls back again for the finished one', async () => {
    const proxy = await startProxy(ctx.hub, 0);
    try {
      const state = join(folder(), 'child_worker_state.json');
      const first = await relaySend(ctx.hub, { from: 'master', to: 'child', type: 'task', cmd: 'verify_chart', payload: { user_id: 'u1' } });
      await runToEnd('polling_worker.py', workerArgs(proxy.dataDir, state));
      const firstRunCallbacks = callbacksIn(proxy.calls);

      proxy.calls.length = 0;
      const second = await relaySend(ctx.hub, { from: 'master', to: 'child', type: 'task', cmd: 'verify_chart', payload: { user_id: 'u2' } });
      const restarted = await runToEnd('polling_worker.py', workerArgs(proxy.dataDir, state));

      expect({
        firstRunCallbacks,
        restartCallbacks: callbacksIn(proxy.calls),
        restartAskedAboutFirst: proxy.calls.filter((c) => c.path.includes(first) || c.body.includes(first)).map((c) => c.path),
        reported: restarted.lines.filter((l) => 'task_id' in l).map((l) => l['task_id']),
        statuses: [(await taskStatus(ctx.hub, first))['task_status'], (await taskStatus(ctx.hub, second))['task_status']],
        completions: await completions(ctx.hub),
      }).toEqual({
        firstRunCallbacks: [first],
        restartCallbacks: [second],
        restartAskedAboutFirst: [],
        reported: [second],
        statuses: ['completed', 'completed'],
        completions: [first, second],
      });
    } finally {
      await proxy.close();
    }
  });
});

describe('Python polling worker on a busy hub, and after a crash', () => {
  it('finds the task addressed to it behind more than a thousand newer audit entries', { timeout: 60_000 }, async () => {
    const state = join(folder(), 'child_worker_state.json');
    const task = await relaySend(ctx.hub, { from: 'master', to: 'child', type: 'task', cmd: 'verify_chart', payload: { user_id: 'u7' } });
    // 1,100 messages after it: the newest 1,000 audit entries no longer show the task.
    for (let batch = 0; batch < 11; batch++) await Promise.all(Array.from({ length: 100 }, (_, i) => post(ctx.hub, `busy ${batch}-${i}`)));
    const worker = await runToEnd('polling_worker.py', workerArgs(ctx.hub.dataDir, state));
    expect({
      reported: worker.lines.filter((l) => 'task_id' in l).map((l) => [l['task_id'], l['status']]),
      status: (await taskStatus(ctx.hub, task))['task_status'],
    }).toEqual({ reported: [[task, 'done']], status: 'completed' });
  });

  it('restarted after a crash, calls back once for the task it still owed, with the saved result, and not again for one whose callback had gone through', async () => {
    const proxy = await startProxy(ctx.hub, 0);
    try {
      const state = join(folder(), 'child_worker_state.json');
      const through = await relaySend(ctx.hub, { from: 'master', to: 'child', type: 'task', cmd: 'verify_chart', payload: { user_id: 'u1' } });
      const owed = await relaySend(ctx.hub, { from: 'master', to: 'child', type: 'task', cmd: 'verify_chart', payload: { user_id: 'u2' } });
      const saved = (summary: string) => ({ cmd: 'verify_chart', status: 'done', result: { summary, score: 0.5 }, error: null });
      // The worker's state as a crash left it: both results saved, and the first callback had gone through.
      const callback = await api(ctx.hub, 'POST', '/api/relay/callback', {
        body: { task_id: through, child_id: 'child', status: 'done', result: saved('u1 before the crash').result },
      });
      expect(callback.status).toBe(200);
      writeFileSync(
        state,
        JSON.stringify({ worker: 'child', done: {}, pending: { [through]: saved('u1 before the crash'), [owed]: saved('u2 before the crash') } }),
      );

      const restarted = await runToEnd('polling_worker.py', workerArgs(proxy.dataDir, state, 2));
      const after = JSON.parse(readFileSync(state, 'utf8')) as { done: Record<string, { status: string }>; pending: Record<string, unknown> };
      expect({
        callbacks: callbacksIn(proxy.calls),
        results: [(await taskStatus(ctx.hub, through))['result'], (await taskStatus(ctx.hub, owed))['result']],
        completions: await completions(ctx.hub),
        reported: restarted.lines.filter((l) => 'task_id' in l).map((l) => l['task_id']),
        saved: { done: Object.keys(after.done).sort(), pending: after.pending },
      }).toEqual({
        callbacks: [owed],
        results: [
          { summary: 'u1 before the crash', score: 0.5 },
          { summary: 'u2 before the crash', score: 0.5 },
        ],
        completions: [through, owed],
        reported: [through, owed],
        saved: { done: [through, owed].sort(), pending: {} },
      });
    } finally {
      await proxy.close();
    }
  });

  it('deletes the temporary state files a killed worker left behind, and stops on SIGTERM leaving only its state file', async () => {
    const dir = folder();
    const state = join(dir, 'child_worker_state.json');
    writeFileSync(join(dir, 'child_worker_state.json.k3x9q.tmp'), '{"done": {');
    writeFileSync(join(dir, 'notes.tmp'), 'not the worker’s');
    const worker = new Python([join(EXAMPLES, 'polling_worker.py'), ...workerArgs(ctx.hub.dataDir, state, 100)]);
    const task = await relaySend(ctx.hub, { from: 'master', to: 'child', type: 'task', cmd: 'verify_chart' });
    await worker.until((w) => w.lines.some((l) => l['task_id'] === task), 'the task reported');
    worker.child.kill('SIGTERM');
    expect({
      code: await worker.end(),
      files: readdirSync(dir).sort(),
      done: Object.keys((JSON.parse(readFileSync(state, 'utf8')) as { done: object }).done),
      removed: worker.stderr.includes('removed child_worker_state.json.k3x9q.tmp'),
    }).toEqual({ code: 0, files: ['child_worker_state.json', 'notes.tmp'], done: [task], removed: true });
  });
});

describe('Python callback receiver', () => {
  /** POSTs `body` to the receiver with the given signature headers; returns the HTTP status. */
  async function postSigned(port: number, body: string, headers: Record<string, string>): Promise<number> {
    const response = await fetch(`http://127.0.0.1:${port}/done`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return response.status;
  }
  const sign = (secret: string, timestamp: number, body: string): Record<string, string> => ({
    'x-switchboard-timestamp': String(timestamp),
    'x-switchboard-signature': `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`,
  });

  it("accepts the hub's signed callback with the secret from connection.json, and answers 401 to a wrong, missing or stale signature without acting on it", async () => {
    const secret = String((JSON.parse(readFileSync(join(ctx.hub.dataDir, 'connection.json'), 'utf8')) as { callback_secret: string }).callback_secret);
    const receiver = new Python([join(EXAMPLES, 'callback_receiver.py'), '--data-dir', ctx.hub.dataDir, '--port', '0', '--once', '1']);
    await receiver.until(/"listening"/, 'the receiver to listen');
    const port = Number(receiver.lines[0]?.['listening']);
    const forged = JSON.stringify({ task_id: 't_forged', status: 'completed', result: { score: 1 } });
    const now = Math.floor(Date.now() / 1000);
    const refused = {
      wrongSecret: await postSigned(port, forged, sign('sbwh_not-the-hub', now, forged)),
      missing: await postSigned(port, forged, {}),
      stale: await postSigned(port, forged, sign(secret, now - 3600, forged)),
      altered: await postSigned(port, forged.replace('1', '2'), sign(secret, now, forged)),
    };
    const taskId = await relaySend(ctx.hub, { from: 'master', to: 'child', cmd: 'verify_chart', callback_url: `http://127.0.0.1:${port}/done` });
    await api(ctx.hub, 'POST', '/api/relay/callback', { body: { task_id: taskId, child_id: 'child', status: 'done', result: { score: 0.85 } } });
    expect(await receiver.end()).toBe(0);
    const callback = (await api(ctx.hub, 'GET', `/api/tasks/${taskId}`)).body['callback'] as { state: string; attempts: number };
    expect({
      refused,
      printed: receiver.lines.slice(1),
      refusals: receiver.stderr.split('\n').filter((line) => line.includes('refused a callback')).length,
      callback: { state: callback.state, attempts: callback.attempts },
    }).toEqual({
      refused: { wrongSecret: 401, missing: 401, stale: 401, altered: 401 },
      printed: [{ task_id: taskId, status: 'completed', result: { score: 0.85 } }],
      refusals: 4,
      callback: { state: 'delivered', attempts: 1 },
    });
  });
});

describe('Python client module', () => {
  it('raises SwitchboardError carrying the hub error code, message and HTTP status', async () => {
    const script = [
      'import json, sys',
      'sys.path.insert(0, sys.argv[1])',
      'from switchboard_agent import Switchboard, SwitchboardError',
      'out = []',
      'for hub, call in [(Switchboard(data_dir=sys.argv[2]), lambda h: h.task_status("t_missing")),',
      '                  (Switchboard(data_dir=sys.argv[2], token="sb_wrong"), lambda h: h.logs(5)),',
      '                  (Switchboard(http="http://127.0.0.1:1", token="x"), lambda h: h.logs(5))]:',
      '    try:',
      '        call(hub)',
      '    except SwitchboardError as e:',
      '        out.append({"code": e.code, "message": e.message, "http_status": e.http_status, "retryable": e.retryable})',
      'print(json.dumps(out))',
    ].join('\n');
    // Not spawnSync: the hub runs in this process and must go on answering while the script runs.
    const run = new Python(['-c', script, EXAMPLES, ctx.hub.dataDir]);
    expect({ code: await run.end(), stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual([
      { code: 'SB_ERR_NOT_FOUND', message: expect.stringContaining('t_missing'), http_status: 404, retryable: false },
      { code: 'SB_ERR_AUTH', message: expect.any(String), http_status: 401, retryable: false },
      { code: 'SB_ERR_UNREACHABLE', message: expect.stringContaining('127.0.0.1:1'), http_status: null, retryable: true },
    ]);
  });
});
