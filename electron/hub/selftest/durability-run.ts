/**
 * The self-test: Switchboard's durability promise, checked on this machine's own disk and OS. A scratch hub
 * (a temporary data folder, a free port, a child process) takes messages from two agents that send with a
 * `client_msg_id` and send again whatever was not acknowledged, while the hub is killed with SIGKILL and
 * started again several times. Then every acknowledged message must be in the database exactly once, with
 * no gap in its seqs, and SQLite's integrity check must pass. `switchboard selftest` and the hub's
 * `POST /api/selftest` both run it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { readConnectionFile } from '../../common/connection-file.js';
import { databaseFile } from '../../common/data-dir.js';
import { integrityProblems } from '../backup/integrity-check.js';

const CONVERSATION = 'selftest';
const SENDERS = ['selftest-a', 'selftest-b'];
/** Sends each agent keeps in flight. */
const WINDOW = 32;
export const SELFTEST_KILLS = 3;
const START_TIMEOUT_MS = 20_000;

export interface SelftestFigures {
  acked: number;
  found: number;
  lost: number;
  duplicates: number;
  /** Breaks in the stored messages' seqs. */
  gaps: number;
  kills: number;
  /** SQLite's `integrity_check`: `ok`, or what it found. */
  integrity: string;
  seconds: number;
}

/** Whether the figures keep the promise: nothing lost, duplicated or out of sequence, and an intact database. */
export function selftestPassed(figures: SelftestFigures): boolean {
  return figures.lost === 0 && figures.duplicates === 0 && figures.gaps === 0 && figures.integrity === 'ok';
}

/** How to run `switchboard` on this machine; the scratch hub is `<command> <args…> serve --port … --data-dir …`. */
export interface SwitchboardCommand {
  command: string;
  args: string[];
}

/**
 * `switchboard` as installed beside this hub: the compiled CLI under Node, or the desktop app's binary in its
 * command-line mode (its fuses forbid running it as plain Node).
 */
export function defaultSwitchboardCommand(): SwitchboardCommand {
  if (process.versions['electron'] !== undefined) return { command: process.execPath, args: ['--cli'] };
  return { command: process.execPath, args: [fileURLToPath(new URL('../../cli/main.js', import.meta.url))] };
}

export interface SelftestOptions {
  messages: number;
  command: SwitchboardCommand;
  /** Ends the run early (the hub stops, or the run took too long): it throws, and leaves no scratch hub behind. */
  signal?: AbortSignal;
  /** Each acknowledged message, with the count so far. */
  onAcked?: (acked: number) => void;
  /** The scratch hub was killed, after `acked` acknowledged messages, and is being started again. */
  onKilled?: (acked: number, kills: number) => void;
}

interface ScratchHub {
  child: ChildProcess;
  http: string;
  token: string;
  port: number;
}

async function startScratchHub(command: SwitchboardCommand, dataDir: string, port: number, signal: AbortSignal | undefined): Promise<ScratchHub> {
  signal?.throwIfAborted();
  const child = spawn(command.command, [...command.args, 'serve', '--port', String(port), '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const said = (): string => (stderr.trim() === '' ? '' : `: ${stderr.trim()}`);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the scratch hub did not start within ${START_TIMEOUT_MS / 1000} s${said()}`)), START_TIMEOUT_MS);
      const abort = (): void => (clearTimeout(timer), reject(signal?.reason as Error));
      signal?.addEventListener('abort', abort, { once: true });
      child.once('error', (error) => (clearTimeout(timer), reject(new Error(`the scratch hub could not be started: ${error.message}`))));
      child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the scratch hub exited with ${String(code)}${said()}`))));
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        if (!line.startsWith('Switchboard hub listening on')) return;
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
        child.removeAllListeners('exit');
        resolve();
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const info = readConnectionFile(dataDir);
  if (info === undefined) throw new Error('the scratch hub wrote no connection.json');
  return { child, http: info.http, token: info.token, port: info.port };
}

async function stopScratchHub(hub: ScratchHub, signal: NodeJS.Signals): Promise<void> {
  if (hub.child.exitCode !== null || hub.child.signalCode !== null) return;
  const exited = new Promise((resolve) => hub.child.once('exit', resolve));
  hub.child.kill(signal);
  await exited;
}

/** Sends one message until the hub acknowledges it (the same client_msg_id each time, so it is stored once). */
async function sendUntilAcked(current: () => ScratchHub, sender: string, index: number, stopped: AbortSignal): Promise<void> {
  for (;;) {
    stopped.throwIfAborted();
    const hub = current();
    try {
      const response = await fetch(`${hub.http}/api/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${hub.token}`, 'content-type': 'application/json', 'x-agent-name': sender },
        body: JSON.stringify({ conversation_id: CONVERSATION, content: `${sender} ${index}`, client_msg_id: `${sender}-${index}` }),
      });
      if (response.status === 200 || response.status === 201) return;
    } catch {
      // The hub was killed under this request: send it again once it is back.
    }
    await sleep(50);
  }
}

interface Found {
  rows: number;
  distinct: number;
  gaps: number;
  integrity: string;
  present: number;
}

/** Reads the stopped scratch hub's database directly, read-only; its integrity check runs off the event loop. */
async function inspect(dataDir: string, acked: ReadonlySet<string>): Promise<Found> {
  const { default: Database } = await import('better-sqlite3');
  const file = databaseFile(dataDir);
  const db = new Database(file, { readonly: true });
  let rows: { seq: number; client_msg_id: string | null }[];
  try {
    rows = db
      .prepare<[string], { seq: number; client_msg_id: string | null }>('SELECT seq, client_msg_id FROM messages WHERE conversation_id = ? ORDER BY seq')
      .all(CONVERSATION);
  } finally {
    db.close();
  }
  let gaps = 0;
  for (let i = 1; i < rows.length; i++) if ((rows[i]?.seq ?? 0) !== (rows[i - 1]?.seq ?? 0) + 1) gaps++;
  const integrity = (await integrityProblems(file)).join('; ');
  const distinct = new Set(rows.map((row) => row.client_msg_id ?? ''));
  return { rows: rows.length, distinct: distinct.size, gaps, integrity, present: [...acked].filter((id) => distinct.has(id)).length };
}

export async function runSelftest(options: SelftestOptions): Promise<SelftestFigures> {
  const { messages, command, signal } = options;
  const started = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-selftest-'));
  // Ends the senders when the run ends any other way than by their finishing (a failed restart, an abort).
  const done = new AbortController();
  const stopped = signal === undefined ? done.signal : AbortSignal.any([signal, done.signal]);
  const acked = new Set<string>();
  let kills = 0;
  let hub: ScratchHub | undefined;
  try {
    let current = await startScratchHub(command, dataDir, 0, signal);
    hub = current;
    const perSender = Math.ceil(messages / SENDERS.length);
    const killAt = Array.from({ length: SELFTEST_KILLS }, (_, i) => Math.round(((i + 1) * messages) / (SELFTEST_KILLS + 1)));
    const sendAll = async (sender: string): Promise<void> => {
      let next = 0;
      const worker = async (): Promise<void> => {
        for (let index = next++; index < perSender; index = next++) {
          await sendUntilAcked(() => current, sender, index, stopped);
          acked.add(`${sender}-${index}`);
          options.onAcked?.(acked.size);
        }
      };
      await Promise.all(Array.from({ length: WINDOW }, worker));
    };
    const killer = (async () => {
      for (const at of killAt) {
        while (acked.size < at) {
          stopped.throwIfAborted();
          await sleep(5);
        }
        await stopScratchHub(current, 'SIGKILL');
        kills++;
        options.onKilled?.(acked.size, kills);
        current = await startScratchHub(command, dataDir, current.port, signal);
        hub = current;
      }
    })();
    await Promise.all([...SENDERS.map(sendAll), killer]).catch((error: unknown) => {
      done.abort(error);
      throw error;
    });
    await stopScratchHub(current, 'SIGTERM');
    const found = await inspect(dataDir, acked);
    return {
      acked: acked.size,
      found: found.present,
      lost: acked.size - found.present,
      duplicates: found.rows - found.distinct,
      gaps: found.gaps,
      kills,
      integrity: found.integrity,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
  } finally {
    done.abort();
    if (hub !== undefined) await stopScratchHub(hub, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
