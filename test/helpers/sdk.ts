/** Helpers for SDK tests: agents in child processes running the built SDK, and reading what they left. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { StoredMessage, TaskRecord } from '../../shared/index.js';
import type { TestClient } from './hub.js';

/** A quick reconnect policy so tests do not wait for the default backoff. */
export const FAST = { initialMs: 20, maxMs: 200 };

/** The SDK as built into dist/ by the global setup, for agents in child processes. */
export const SDK_ENTRY = pathToFileURL(fileURLToPath(new URL('../../dist/sdk/index.js', import.meta.url))).href;

/** Lets pending I/O (acks, frames) be handled before going on. */
export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Every stored message of a conversation, oldest first, read over HTTP 1000 at a time. */
export async function readConversation(http: string, token: string, conversationId: string): Promise<StoredMessage[]> {
  const out: StoredMessage[] = [];
  let since = 0;
  for (;;) {
    const response = await fetch(`${http}/api/conversations/${encodeURIComponent(conversationId)}/messages?since=${since}&limit=1000`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as { messages?: StoredMessage[]; next_since?: number };
    if (response.status !== 200 || body.messages === undefined) throw new Error(`reading ${conversationId} failed: ${JSON.stringify(body)}`);
    out.push(...body.messages);
    if (body.messages.length < 1000) return out;
    since = body.next_since as number;
  }
}

/** Resolves with the task once the master is told it reached a final state. */
export async function taskFinished(master: TestClient, taskId: string, timeoutMs = 10_000): Promise<TaskRecord> {
  const final = ['completed', 'failed', 'rejected', 'canceled'];
  const frame = await master.next((f) => f.type === 'task_updated' && (f['task'] as TaskRecord).task_id === taskId && final.includes(f['event'] as string), {
    from: 0,
    timeoutMs,
  });
  return frame['task'] as TaskRecord;
}

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

export type ScriptEvent = Record<string, unknown> & { event: string };

/** A Node process running an ES module script that reports what it does as JSON lines (`{"event": …}`) on stdout. */
export interface ScriptProcess {
  child: ChildProcess;
  events: ScriptEvent[];
  /** Resolves with the first event named `name` (and matching `match`, if given), already received or still to come. */
  next(name: string, match?: (event: ScriptEvent) => boolean, timeoutMs?: number): Promise<ScriptEvent>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL, then wait for the exit. */
  kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Writes `source` to DIR/NAME.mjs and runs it with Node. The script gets `SB_SDK` (the built SDK's URL)
 * and `SB_INPUT` (JSON) in its environment; the preamble gives it `sdk`, `input` and `say(event, data)`.
 */
export function runScript(dir: string, name: string, source: string, input: unknown): ScriptProcess {
  const file = join(dir, `${name}.mjs`);
  const preamble = [
    "import { writeSync } from 'node:fs';",
    'const sdk = await import(process.env.SB_SDK);',
    'const input = JSON.parse(process.env.SB_INPUT);',
    "const say = (event, data = {}) => writeSync(1, JSON.stringify({ event, ...data }) + '\\n');",
    '',
  ].join('\n');
  writeFileSync(file, preamble + source);
  const child = spawn(process.execPath, [file], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SB_SDK: SDK_ENTRY, SB_INPUT: JSON.stringify(input) },
  });
  const events: ScriptEvent[] = [];
  const waiters: { name: string; match: (event: ScriptEvent) => boolean; resolve: (event: ScriptEvent) => void }[] = [];
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    let newline: number;
    while ((newline = stdout.indexOf('\n')) >= 0) {
      const line = stdout.slice(0, newline);
      stdout = stdout.slice(newline + 1);
      const event = JSON.parse(line) as ScriptEvent;
      events.push(event);
      for (const waiter of waiters.filter((w) => w.name === event.event && w.match(event))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    events,
    exited,
    next(eventName, match = () => true, timeoutMs = 10_000) {
      const found = events.find((e) => e.event === eventName && match(e));
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no "${eventName}" event; got ${JSON.stringify(events)}; stderr: ${stderr}`)), timeoutMs);
        void exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(new Error(`${name} exited (code ${code}, signal ${signal}) before "${eventName}"; got ${JSON.stringify(events)}; stderr: ${stderr}`));
        });
        waiters.push({ name: eventName, match, resolve: (event) => (clearTimeout(timer), resolve(event)) });
      });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}
