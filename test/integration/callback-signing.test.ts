/**
 * Signed callbacks against a real hub and a real receiver: the secret a person can read (connection.json,
 * the admin API), what a receiver checks, rotation, the task's callback state, and the hub's own address refused.
 */
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { callbackSecretPath } from '../../electron/hub/relay/callback-secret.js';
import { readConnectionFile } from '../../electron/common/connection-file.js';
import type { Logger } from '../../electron/common/logger.js';
import { startReceiver, type CallbackReceiver, type ReceivedCallback } from '../helpers/callback-receiver.js';
import { agentToken, api, startHub, tempDir, type TestHub } from '../helpers/hub.js';
import { eventually } from '../helpers/wait.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function hub(dataDir?: string, logger?: Logger): Promise<TestHub> {
  const started = await startHub(dataDir === undefined ? {} : { dataDir }, logger === undefined ? {} : { logger });
  cleanups.push(() => started.stop());
  return started;
}

async function receiver(): Promise<CallbackReceiver> {
  const started = await startReceiver(() => 200);
  cleanups.push(() => started.close());
  return started;
}

/** What a receiver does: the timestamp is recent, and one `sha256=` value is HMAC-SHA256(secret, "<timestamp>.<raw body>"). */
function verifies(secret: string, request: ReceivedCallback, body = request.body): boolean {
  const timestamp = String(request.headers['x-switchboard-timestamp'] ?? '');
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
  return String(request.headers['x-switchboard-signature'] ?? '')
    .split(',')
    .some((value) => value.trim() === expected);
}

/** The fenced `lang` block in docs/protocol.md's "Verifying callbacks" section. */
function protocolSnippet(lang: string): string {
  const page = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
  const section = page.slice(page.indexOf('### Verifying callbacks'));
  const code = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(section.slice(0, section.indexOf('\n### ', 5)))?.[1];
  if (code === undefined) throw new Error(`no ${lang} block under "Verifying callbacks" in docs/protocol.md`);
  return code;
}

/** Runs a program with `input` on stdin; resolves with its stdout, or fails with its stderr. */
function runWithInput(command: string, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited with ${code}: ${err}`))));
    child.stdin.end(input);
  });
}

/** Sends a task from master to child with a callback to `url` over HTTP, and completes it as the child; returns its id. */
async function completedTask(h: TestHub, url: string): Promise<string> {
  const sent = await api(h, 'POST', '/api/relay/send', { body: { from: 'master', to: 'child', cmd: 'verify', payload: { n: 1 }, callback_url: url } });
  const taskId = String(sent.body['task_id']);
  const done = await api(h, 'POST', '/api/relay/callback', { body: { task_id: taskId, child_id: 'child', status: 'done', result: { score: 0.9 } } });
  expect(done.status).toBe(200);
  return taskId;
}

describe('signed callbacks', () => {
  it('signs a task callback with the secret in connection.json and the admin API; a receiver verifies it, and a changed body or another secret does not', async () => {
    const h = await hub();
    const target = await receiver();
    const fromFile = readConnectionFile(h.dataDir)?.callback_secret ?? '';
    const fromApi = await api(h, 'GET', '/api/callback-secret');
    const taskId = await completedTask(h, `${target.url}/done`);
    const request = await eventually(() => target.requests[0], 'the callback');
    expect({
      sameSecret: fromApi.body['secret'] === fromFile && fromFile.startsWith('sbwh_'),
      file: fromApi.body['file'],
      signatureShape: /^sha256=[0-9a-f]{64}$/.test(String(request.headers['x-switchboard-signature'])),
      verifies: verifies(fromFile, request),
      changedBody: verifies(fromFile, request, request.body.replace('0.9', '1')),
      otherSecret: verifies('sbwh_someone-else', request),
      task: (JSON.parse(request.body) as { task_id: string }).task_id,
    }).toEqual({
      sameSecret: true,
      file: callbackSecretPath(h.dataDir),
      signatureShape: true,
      verifies: true,
      changedBody: false,
      otherSecret: false,
      task: taskId,
    });
  });

  it('shows the callback delivery state on GET /api/tasks/<id>: delivered after one attempt, with when', async () => {
    const h = await hub();
    const target = await receiver();
    const taskId = await completedTask(h, `${target.url}/done`);
    const callback = await eventually(async () => {
      const answer = (await api(h, 'GET', `/api/tasks/${taskId}`)).body['callback'] as Record<string, unknown> | null;
      return answer?.['state'] === 'delivered' ? answer : undefined;
    }, 'the callback to be delivered');
    const noCallback = await api(h, 'POST', '/api/relay/send', { body: { from: 'master', to: 'child', cmd: 'verify' } });
    expect({
      callback,
      finishedRecently: Math.abs(Date.parse(String(callback['finished_at'])) - Date.now()) < 60_000,
      none: (await api(h, 'GET', `/api/tasks/${String(noCallback.body['task_id'])}`)).body['callback'],
    }).toEqual({
      callback: { state: 'delivered', attempts: 1, last_error: null, next_attempt_at: null, finished_at: expect.any(String) as unknown },
      finishedRecently: true,
      none: null,
    });
  });

  it('keeps the secret in a file only its owner reads, the same across restarts, and out of the log', async () => {
    const dir = tempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const logged: string[] = [];
    const log = (message: string, fields?: Record<string, unknown>): void => void logged.push(`${message} ${JSON.stringify(fields ?? {})}`);
    const first = await hub(dir, { debug: log, info: log, warn: log, error: log });
    const target = await receiver();
    await completedTask(first, `${target.url}/done`);
    await eventually(() => target.requests[0], 'the callback');
    const secret = String((await api(first, 'GET', '/api/callback-secret')).body['secret']);
    await first.stop();
    const second = await hub(dir);
    expect({
      mode: (statSync(callbackSecretPath(dir)).mode & 0o777).toString(8),
      connectionFileMode: (statSync(`${dir}/connection.json`).mode & 0o777).toString(8),
      kept: (await api(second, 'GET', '/api/callback-secret')).body['secret'] === secret,
      inLog: logged.some((line) => line.includes(secret)),
      loggedSomething: logged.length > 0,
    }).toEqual({ mode: '600', connectionFileMode: '600', kept: true, inLog: false, loggedSomething: true });
  });

  it('rotates the secret for the admin only: connection.json gets the new one, callbacks carry both signatures for a day, the audit trail notes it without the secret', async () => {
    const h = await hub();
    const target = await receiver();
    const old = String((await api(h, 'GET', '/api/callback-secret')).body['secret']);
    const agent = await agentToken(h, 'master');
    const forbidden = [await api(h, 'GET', '/api/callback-secret', { token: agent }), await api(h, 'POST', '/api/callback-secret/rotate', { token: agent })];
    const rotated = await api(h, 'POST', '/api/callback-secret/rotate');
    const fresh = String(rotated.body['secret']);
    await completedTask(h, `${target.url}/done`);
    const request = await eventually(() => target.requests[0], 'the callback');
    const auditText = JSON.stringify(h.hub.services.events.latest(100));
    expect({
      forbidden: forbidden.map((a) => [a.status, (a.body['error'] as { code: string }).code]),
      changed: fresh !== old && fresh.startsWith('sbwh_'),
      graceHours: Math.round((Date.parse(String(rotated.body['previous_valid_until'])) - Date.now()) / 3_600_000),
      connectionFile: readConnectionFile(h.dataDir)?.callback_secret === fresh,
      secretFile: readFileSync(callbackSecretPath(h.dataDir), 'utf8').includes(fresh),
      signatures: String(request.headers['x-switchboard-signature']).split(',').length,
      newVerifies: verifies(fresh, request),
      oldVerifies: verifies(old, request),
      audited: auditText.includes('callback_secret_rotated'),
      secretInAudit: auditText.includes(fresh) || auditText.includes(old),
    }).toEqual({
      forbidden: [
        [403, 'SB_ERR_FORBIDDEN'],
        [403, 'SB_ERR_FORBIDDEN'],
      ],
      changed: true,
      graceHours: 24,
      connectionFile: true,
      secretFile: true,
      signatures: 2,
      newVerifies: true,
      oldVerifies: true,
      audited: true,
      secretInAudit: false,
    });
  });

  it('the Python and TypeScript snippets in docs/protocol.md verify real callbacks, with either secret during a rotation, and refuse a changed body or another secret', async () => {
    const h = await hub();
    const target = await receiver();
    const old = String((await api(h, 'GET', '/api/callback-secret')).body['secret']);
    await completedTask(h, `${target.url}/done`);
    const fresh = String((await api(h, 'POST', '/api/callback-secret/rotate')).body['secret']);
    await completedTask(h, `${target.url}/done`);
    const [before, during] = await eventually(() => (target.requests.length === 2 ? target.requests : undefined), 'two callbacks');
    const one = (secret: string, request: ReceivedCallback | undefined, body = request?.body ?? '') => ({
      secret,
      headers: request?.headers,
      body: Buffer.from(body).toString('base64'),
    });
    const cases = [
      one(old, before),
      one(old, before, before?.body.replace('0.9', '1.9')),
      one('sbwh_someone-else', before),
      one(fresh, during),
      one(old, during),
      one(fresh, before),
    ];
    const dir = tempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));

    const python = join(dir, 'verify.py');
    writeFileSync(
      python,
      `${protocolSnippet('python')}
import base64, email.message, json, sys
def message(headers):
    m = email.message.Message()
    for name, value in headers.items():
        m[name] = value
    return m
cases = json.load(sys.stdin)
print(json.dumps([verify(c["secret"], message(c["headers"]), base64.b64decode(c["body"])) for c in cases]))
`,
    );
    const typescript = join(dir, 'verify.mjs');
    const compiled = ts.transpileModule(protocolSnippet('ts'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    writeFileSync(
      typescript,
      `${compiled}
import { readFileSync } from 'node:fs';
const cases = JSON.parse(readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(cases.map((c) => verify(c.secret, c.headers, Buffer.from(c.body, 'base64')))));
`,
    );
    const input = JSON.stringify(cases);
    const expected = [true, false, false, true, true, false];
    expect({
      python: JSON.parse(await runWithInput(process.env['PYTHON'] ?? 'python3', [python], input)) as unknown,
      typescript: JSON.parse(await runWithInput(process.execPath, [typescript], input)) as unknown,
    }).toEqual({ python: expected, typescript: expected });
  });

  it("refuses a task whose callback_url is the hub's own address, or a private-network address, before anything is sent", async () => {
    const h = await hub();
    const own = await api(h, 'POST', '/api/relay/send', {
      body: { from: 'master', to: 'child', cmd: 'x', callback_url: `http://localhost:${h.port}/api/relay/callback` },
    });
    const lan = await api(h, 'POST', '/api/relay/send', { body: { from: 'master', to: 'child', cmd: 'x', callback_url: 'http://192.168.1.20:9000/done' } });
    expect([own, lan].map((a) => [a.status, a.body['error']])).toEqual([
      [400, { code: 'SB_ERR_VALIDATION', message: `callback_url: callback host localhost:${h.port} is the hub's own address; the hub never calls itself` }],
      [
        400,
        {
          code: 'SB_ERR_VALIDATION',
          message: 'callback_url: callback host 192.168.1.20 is a private-network address; list it in allowedCallbackHosts to allow it',
        },
      ],
    ]);
  });
});
