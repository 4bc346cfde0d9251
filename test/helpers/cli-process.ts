/** The real `switchboard` CLI (built into dist/ by the global setup) in a child process, and other scripts run the same way. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/electron/cli/main.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a CLI command to the end. */
export function runCli(args: string[], timeoutMs = 15_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`switchboard ${args.join(' ')} did not finish; stdout: ${stdout}; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export interface CliHub {
  child: ChildProcess;
  port: number;
  http: string;
  wsUrl: string;
  /** The admin token from connection.json. */
  token: string;
  pid: number;
  /** Resolves with the exit code and signal once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `switchboard serve --port PORT --data-dir DIR` (a free port by default) and resolves once it listens. */
export function serveCli(dataDir: string, timeoutMs = 15_000, port = 0): Promise<CliHub> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', String(port), '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the hub did not start; stdout: ${stdout}; stderr: ${stderr}`));
    }, timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = /Switchboard hub listening on http:\/\/([^\s:]+):(\d+)/.exec(stdout);
      if (match === null) return;
      clearTimeout(timer);
      const file = JSON.parse(readFileSync(join(dataDir, 'connection.json'), 'utf8')) as { port: number; token: string; pid: number };
      const port = Number(match[2]);
      resolve({ child, port, http: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/ws`, token: file.token, pid: file.pid, exited });
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the hub exited before listening (code ${code}, signal ${signal}); stderr: ${stderr}`));
    });
  });
}

/** One run of a script in a child process, its output collected as it comes. The caller kills it if the test leaves it running. */
export class ScriptRun {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private listeners: (() => void)[] = [];

  constructor(command: string, argv: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(command, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (chunk: Buffer) => ((this.stdout += chunk.toString('utf8')), this.grew()));
    this.child.stderr?.on('data', (chunk: Buffer) => ((this.stderr += chunk.toString('utf8')), this.grew()));
    this.exited = once(this.child, 'exit').then(([code]) => (this.grew(), code as number | null));
  }

  private grew(): void {
    for (const listener of this.listeners) listener();
  }

  private describe(): string {
    return `stdout ${JSON.stringify(this.stdout)}, stderr ${JSON.stringify(this.stderr)}`;
  }

  /** Resolves once the output so far matches (a pattern for stdout, or a check); rejects if the script exits first. */
  until(check: RegExp | ((self: this) => boolean), what = String(check), timeoutMs = 10_000): Promise<void> {
    const holds = (): boolean => (check instanceof RegExp ? check.test(this.stdout) : check(this));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => stop(new Error(`timed out waiting for ${what}; ${this.describe()}`)), timeoutMs);
      const listener = (): void => {
        if (holds()) stop();
        else if (this.child.exitCode !== null || this.child.signalCode !== null) stop(new Error(`the script exited before ${what}; ${this.describe()}`));
      };
      const stop = (error?: Error): void => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
        if (error === undefined) resolve();
        else reject(error);
      };
      this.listeners.push(listener);
      listener();
    });
  }

  /** Waits for the script to end on its own and returns its exit code. */
  async end(timeoutMs = 15_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new Error(`the script did not finish; ${this.describe()}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
