/** The `switchboard` command as people run it: real child processes of the built CLI, each with its own data folder. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../shared/index.js';
import { openSocket, tempDir, type TestClient } from '../helpers/hub.js';

const CLI = fileURLToPath(new URL('../../dist/electron/cli/main.js', import.meta.url));
const LISTENING = /^Switchboard hub listening on http:\/\/127\.0\.0\.1:(\d+)\n/;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one CLI command to completion. */
function run(args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 15_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A long-running CLI process whose output is collected as it comes. */
class Running {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private listeners: (() => void)[] = [];

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (chunk: Buffer) => this.grew((this.stdout += chunk.toString('utf8'))));
    this.child.stderr?.on('data', (chunk: Buffer) => this.grew((this.stderr += chunk.toString('utf8'))));
    this.exited = once(this.child, 'exit').then(([code, signal]) => {
      this.grew('');
      return { code: code as number | null, signal: signal as NodeJS.Signals | null };
    });
  }

  private grew(_text: string): void {
    for (const listener of this.listeners) listener();
  }

  /** Resolves once `check` holds for the output so far; rejects if the process exits first. */
  async until(check: (self: Running) => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (check(this)) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => fail(new Error(`timed out waiting for ${what}; stdout ${JSON.stringify(this.stdout)}, stderr ${JSON.stringify(this.stderr)}`)),
        timeoutMs,
      );
      const listener = (): void => {
        if (check(this)) done();
        else if (this.child.exitCode !== null || this.child.signalCode !== null)
          fail(new Error(`exited before ${what}; stdout ${JSON.stringify(this.stdout)}, stderr ${JSON.stringify(this.stderr)}`));
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
      };
      const done = (): void => (cleanup(), resolve());
      const fail = (error: Error): void => (cleanup(), reject(error));
      this.listeners.push(listener);
    });
  }

  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }
}

const running: Running[] = [];
const folders: string[] = [];

function folder(): string {
  const dir = tempDir('switchboard-cli-');
  folders.push(dir);
  return dir;
}

function start(args: string[]): Running {
  const child = new Running(args);
  running.push(child);
  return child;
}

/** Starts `serve` and resolves with its port once it printed that it listens. */
async function serve(dataDir: string, extra: string[] = ['--port', '0']): Promise<{ hub: Running; port: number }> {
  const hub = start(['serve', '--data-dir', dataDir, ...extra]);
  await hub.until((p) => LISTENING.test(p.stdout), 'the listening line');
  return { hub, port: Number(LISTENING.exec(hub.stdout)?.[1]) };
}

function occupy(port: number): Promise<Server | undefined> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(undefined) : reject(error)));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function connectionFile(dataDir: string): { token: string; port: number; url: string; http: string } {
  return JSON.parse(readFileSync(join(dataDir, 'connection.json'), 'utf8')) as { token: string; port: number; url: string; http: string };
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe('switchboard serve', () => {
  it('prints its address and a dashboard login link on stdout, and exits 0 on SIGTERM', async () => {
    const dataDir = folder();
    const { hub, port } = await serve(dataDir);
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(await health.json()).toEqual({ status: 'healthy', connections: 0, database: 'ok', timestamp: expect.any(String) });
    expect(connectionFile(dataDir)).toEqual({
      url: `ws://127.0.0.1:${port}/ws`,
      http: `http://127.0.0.1:${port}`,
      port,
      token: expect.stringMatching(/^sb_/),
      pid: hub.child.pid,
      callback_secret: expect.stringMatching(/^sbwh_/),
    });
    expect(await hub.stop()).toEqual({ code: 0, signal: null });
    expect(hub.stdout).toMatch(
      new RegExp(
        `^Switchboard hub listening on http://127\\.0\\.0\\.1:${port}\\nOpen the dashboard: http://127\\.0\\.0\\.1:${port}/login\\?code=[\\w-]{43}\\n$`,
      ),
    );
  });

  it('moves to the next free port and says so on stderr when the default port is taken', async () => {
    // If something else already holds 8765 the test still stands: the default port is taken either way.
    const blocker = await occupy(8765);
    const dataDir = folder();
    try {
      const { hub, port } = await serve(dataDir, []);
      expect(port).not.toBe(8765);
      expect(hub.stderr).toContain(`Port 8765 is already in use (another local agent tool may have it); Switchboard is using port ${port} instead.\n`);
      expect(connectionFile(dataDir).port).toBe(port);
      expect(await hub.stop()).toEqual({ code: 0, signal: null });
    } finally {
      blocker?.close();
    }
  });

  it('refuses a taken port chosen with --port, exiting 1 with a message that says how to choose another', async () => {
    const blocker = await occupy(0);
    const port = (blocker?.address() as { port: number }).port;
    try {
      const result = await run(['serve', '--port', String(port), '--data-dir', folder()]);
      expect(result).toEqual({ code: 1, stdout: '', stderr: `Port ${port} on 127.0.0.1 is already in use. Choose another with --port.\n` });
    } finally {
      blocker?.close();
    }
  });

  it('refuses a taken port set in settings.json, exiting 1 with a message that names the file', async () => {
    const blocker = await occupy(0);
    const port = (blocker?.address() as { port: number }).port;
    const dataDir = folder();
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ port }));
    try {
      const result = await run(['serve', '--data-dir', dataDir]);
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: `Port ${port} on 127.0.0.1 is already in use. It is set in ${join(dataDir, 'settings.json')}: change it there, or choose another with --port.\n`,
      });
    } finally {
      blocker?.close();
    }
  });

  it('uses the port from settings.json when it is free, and --port over it', async () => {
    const probe = await occupy(0);
    const port = (probe?.address() as { port: number }).port;
    probe?.close();
    const dataDir = folder();
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ port, maxConnections: 5 }));
    const fromFile = await serve(dataDir, []);
    expect(fromFile.port).toBe(port);
    const status = await fetch(`http://127.0.0.1:${port}/ws/status`, { headers: { authorization: `Bearer ${connectionFile(dataDir).token}` } });
    expect(((await status.json()) as { max_connections: number }).max_connections).toBe(5);
    await fromFile.hub.stop();
    const overridden = await serve(dataDir, ['--port', '0']);
    expect(overridden.port).not.toBe(port);
  });

  it('lists every invalid setting and exits 1', async () => {
    const dataDir = folder();
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ port: 'eighty', maxConnections: 0 }));
    expect(await run(['serve', '--data-dir', dataDir])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'Invalid configuration:\n  - port must be a whole number from 0 to 65535 (got "eighty")\n  - maxConnections must be a whole number from 1 to 1000000 (got 0)\n',
    });
  });
});

describe('switchboard status, token, send and tail against a running hub', () => {
  let dataDir: string;
  let hubProcess: Running;
  let port: number;
  const sockets: TestClient[] = [];

  beforeAll(async () => {
    dataDir = folder();
    // Started here rather than per test, so it is not in `running` and outlives each test.
    hubProcess = new Running(['serve', '--data-dir', dataDir, '--port', '0']);
    await hubProcess.until((p) => LISTENING.test(p.stdout), 'the listening line');
    port = Number(LISTENING.exec(hubProcess.stdout)?.[1]);
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    expect(await hubProcess.stop()).toEqual({ code: 0, signal: null });
  });

  const cli = (...args: string[]): Promise<Result> => run([...args, '--data-dir', dataDir]);

  async function hello(token: string, agent: string): Promise<{ client: TestClient; reply: Record<string, unknown> }> {
    const client = await openSocket(`ws://127.0.0.1:${port}/ws`);
    sockets.push(client);
    return { client, reply: await client.request({ type: 'hello', token, agent }) };
  }

  it('token create prints only the token on stdout (what it is on stderr), the token works for a WebSocket hello, and token list shows it', async () => {
    const created = await cli('token', 'create', 'alice', '--label', 'laptop');
    expect(created.code).toBe(0);
    const [token, rest] = created.stdout.split('\n');
    const about = created.stderr.trimEnd();
    expect({ token, rest, about }).toEqual({
      token: expect.stringMatching(/^sb_[A-Za-z0-9_-]{43}$/),
      rest: '',
      about: expect.stringMatching(/^Token tok_[0-9a-f]{12} for agent "alice"\. It is shown only now: store it where the agent can read it\.$/),
    });
    const { reply } = await hello(token as string, 'alice');
    expect(reply).toEqual(expect.objectContaining({ type: 'welcome', agent: { id: 'alice', admin: false } }));

    const tokenId = /tok_[0-9a-f]{12}/.exec(about as string)?.[0] as string;
    const listed = await cli('token', 'list');
    const lines = listed.stdout.trimEnd().split('\n');
    expect({ code: listed.code, header: lines[0], alice: lines.filter((l) => l.startsWith(tokenId)) }).toEqual({
      code: 0,
      header: 'id  agent  state  created  last used',
      alice: [expect.stringMatching(new RegExp(`^${tokenId}  alice  active  \\S+Z  \\S+Z$`))],
    });
    expect(lines.some((l) => l.includes('  (admin)  active  '))).toBe(true);
  });

  it('secret prints the callback secret from the running hub, and secret --rotate prints only a new one on stdout and says on stderr the old one still signs for a day', async () => {
    const shown = await cli('secret');
    const before = shown.stdout.trimEnd();
    const rotated = await cli('secret', '--rotate');
    const fresh = rotated.stdout.trimEnd();
    const [told, grace] = rotated.stderr.trimEnd().split('\n');
    const file = JSON.parse(readFileSync(join(dataDir, 'connection.json'), 'utf8')) as { callback_secret?: string };
    expect({ code: shown.code, before, rotated: rotated.code, changed: fresh !== before, told, grace, connectionFile: file.callback_secret === fresh }).toEqual(
      {
        code: 0,
        before: expect.stringMatching(/^sbwh_[A-Za-z0-9_-]{43}$/) as unknown,
        rotated: 0,
        changed: true,
        told: 'A new callback secret: give it to your callback and webhook receivers.',
        grace: expect.stringMatching(/^The previous secret also signs until \d{4}-\d\d-\d\dT\S+Z\.$/) as unknown,
        connectionFile: true,
      },
    );
    expect((await cli('secret')).stdout.split('\n')[0]).toBe(fresh);
  });

  it('token revoke closes the connections of that token, a later hello with it gets a refusal in reply, and a second revoke says it already was', async () => {
    const created = await cli('token', 'create', 'bob');
    const token = created.stdout.trimEnd();
    const tokenId = /tok_[0-9a-f]{12}/.exec(created.stderr)?.[0] as string;
    const { client } = await hello(token as string, 'bob');

    expect(await cli('token', 'revoke', tokenId)).toEqual({ code: 0, stdout: `Revoked ${tokenId}; its connections were closed.\n`, stderr: '' });
    expect(await client.waitClosed()).toEqual({ code: 4001, reason: expect.stringMatching(/^SB_ERR_AUTH\b/) });
    const refused = await hello(token as string, 'bob');
    expect(refused.reply).toEqual({ type: 'error', re: expect.any(String), code: 'SB_ERR_AUTH', message: 'the token is wrong or was revoked' });
    expect((await refused.client.waitClosed()).code).toBe(4001);
    expect(await cli('token', 'revoke', tokenId)).toEqual({ code: 0, stdout: `${tokenId} was already revoked.\n`, stderr: '' });
    expect(await cli('token', 'revoke', 'tok_000000000000')).toEqual({ code: 1, stdout: '', stderr: 'SB_ERR_NOT_FOUND: no token "tok_000000000000"\n' });
    const listed = await cli('token', 'list');
    expect(listed.stdout.split('\n').filter((l) => l.startsWith(tokenId))).toEqual([expect.stringMatching(new RegExp(`^${tokenId}  bob  revoked  `))]);
  });

  it('send stores a message that can be read over HTTP, as the user or as a named agent', async () => {
    const first = await cli('send', 'notes', 'hello', 'from', 'the', 'shell');
    const second = await cli('send', 'notes', 'typed', '--as', 'carol', '--type', 'insight');
    expect([first, second]).toEqual([
      { code: 0, stdout: expect.stringMatching(/^Stored m_(\d+) \(seq \1\) in "notes" as user\n$/), stderr: '' },
      { code: 0, stdout: expect.stringMatching(/^Stored m_(\d+) \(seq \1\) in "notes" as carol\n$/), stderr: '' },
    ]);
    const response = await fetch(`http://127.0.0.1:${port}/api/conversations/notes/messages`, {
      headers: { authorization: `Bearer ${connectionFile(dataDir).token}` },
    });
    const body = (await response.json()) as { messages: StoredMessage[] };
    expect(body.messages.map((m) => [m.sender, m.message_type, m.content])).toEqual([
      ['user', 'message', 'hello from the shell'],
      ['carol', 'insight', 'typed'],
    ]);
  });

  it('send without text names the missing argument and exits 2', async () => {
    expect(await cli('send', 'notes')).toEqual({
      code: 2,
      stdout: '',
      stderr: "error: missing required argument 'text'\n(run `switchboard send --help` for usage)\n",
    });
  });

  it('tail --since 0 prints the stored messages, then live ones, and ends cleanly on SIGTERM', async () => {
    await cli('send', 'tailed', 'one');
    await cli('send', 'tailed', 'two');
    await cli('send', 'other', 'not tailed');
    const tail = start(['tail', 'tailed', '--since', '0', '--data-dir', dataDir]);
    await tail.until((p) => p.stdout.split('\n').length > 2, 'two stored lines');
    await cli('send', 'tailed', 'three', '--as', 'dave');
    await tail.until((p) => p.stdout.split('\n').length > 3, 'the live line');
    expect(await tail.stop()).toEqual({ code: 0, signal: null });
    expect(tail.stdout.split('\n')).toEqual([
      expect.stringMatching(/^\d\d:\d\d:\d\d #\d+ \[tailed\] user \(message\): one$/),
      expect.stringMatching(/^\d\d:\d\d:\d\d #\d+ \[tailed\] user \(message\): two$/),
      expect.stringMatching(/^\d\d:\d\d:\d\d #\d+ \[tailed\] dave \(message\): three$/),
      '',
    ]);
  });
});

describe('switchboard status', () => {
  it('prints the address and the counts of a running hub', async () => {
    const dataDir = folder();
    const { hub, port } = await serve(dataDir);
    const agent = await openSocket(`ws://127.0.0.1:${port}/ws`);
    await agent.request({ type: 'hello', token: connectionFile(dataDir).token, agent: 'watcher' });
    await run(['send', 'room', 'counted', '--data-dir', dataDir]);
    const status = await run(['status', '--data-dir', dataDir]);
    await agent.close();
    expect({ code: status.code, lines: status.stdout.split('\n'), stderr: status.stderr }).toEqual({
      code: 0,
      lines: [
        `Switchboard is running at http://127.0.0.1:${port} (pid ${String(hub.child.pid)})`,
        expect.stringMatching(/^ {2}uptime {10}\d+ s$/),
        '  connections     1 of 100',
        '  agents online   1',
        '  messages stored 1',
        '',
      ],
      stderr: '',
    });
  });

  it('prints the hub statistics as JSON with --json', async () => {
    const dataDir = folder();
    await serve(dataDir);
    const status = await run(['status', '--json', '--data-dir', dataDir]);
    expect({ code: status.code, body: JSON.parse(status.stdout) as unknown }).toEqual({
      code: 0,
      body: expect.objectContaining({
        status: 'ok',
        total_connections: 0,
        active_connections: 0,
        total_messages: 0,
        max_connections: 100,
        uptime: expect.any(Number),
      }),
    });
  });
});

describe('switchboard commands without a running hub', () => {
  it('status exits 1 saying no hub was found when the data folder has no connection file', async () => {
    const dataDir = folder();
    expect(await run(['status', '--data-dir', dataDir])).toEqual({
      code: 1,
      stdout: '',
      stderr: `No running hub found: ${join(dataDir, 'connection.json')} is missing. Start one with: switchboard serve\n`,
    });
  });

  it('status, send and tail exit 1 saying nothing answers when the hub that wrote the connection file has stopped', async () => {
    const dataDir = folder();
    const { hub, port } = await serve(dataDir);
    await hub.stop();
    const notRunning = `Switchboard is not running: nothing answers at http://127.0.0.1:${port}. Start it with: switchboard serve\n`;
    const [status, send, tail] = await Promise.all([
      run(['status', '--data-dir', dataDir]),
      run(['send', 'room', 'hello', '--data-dir', dataDir]),
      run(['tail', '--data-dir', dataDir]),
    ]);
    expect([status, send]).toEqual([
      { code: 1, stdout: '', stderr: notRunning },
      { code: 1, stdout: '', stderr: notRunning },
    ]);
    expect({ code: tail.code, stdout: tail.stdout, stderr: tail.stderr }).toEqual({
      code: 1,
      stdout: '',
      stderr: expect.stringContaining(`Switchboard is not running: nothing answers at ws://127.0.0.1:${port}/ws\n`),
    });
  });

  it('rejects an unknown command with exit code 2, naming it and pointing to --help', async () => {
    expect(await run(['frobnicate'])).toEqual({ code: 2, stdout: '', stderr: "error: unknown command 'frobnicate'\n(run `switchboard --help` for usage)\n" });
  });
});
