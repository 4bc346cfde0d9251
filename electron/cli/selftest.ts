/**
 * `switchboard selftest`: Switchboard's durability promise, checked on this machine's own disk and OS. A
 * scratch hub (a temporary data folder, a free port, a child process) takes messages from two agents that
 * send with a `client_msg_id` and send again whatever was not acknowledged, while the hub is killed with
 * SIGKILL and started again several times. Then every acknowledged message must be in the database exactly
 * once, with no gap in its seqs, and SQLite's integrity check must pass.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { readConnectionFile } from '../common/connection-file.js';
import { databaseFile } from '../common/data-dir.js';
import { CliError } from './hub-client.js';

const CONVERSATION = 'selftest';
const SENDERS = ['selftest-a', 'selftest-b'];
/** Sends each agent keeps in flight. */
const WINDOW = 32;
const KILLS = 3;
const START_TIMEOUT_MS = 20_000;

export interface SelftestResult {
  acked: number;
  found: number;
  lost: number;
  duplicates: number;
  kills: number;
  integrity: string;
  seconds: number;
}

/** How to run this same `switchboard` again: under Node, or as the desktop app's binary in CLI mode. */
function selfCommand(): [string, string[]] {
  if (process.versions['electron'] !== undefined) return [process.execPath, ['--cli']];
  return [process.execPath, [process.argv[1] ?? '']];
}

interface ScratchHub {
  child: ChildProcess;
  http: string;
  token: string;
  port: number;
}

async function startScratchHub(dataDir: string, port: number): Promise<ScratchHub> {
  const [command, prefix] = selfCommand();
  const child = spawn(command, [...prefix, 'serve', '--port', String(port), '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new CliError(`the scratch hub did not start: ${stderr}`)), START_TIMEOUT_MS);
    child.once('exit', (code) => (clearTimeout(timer), reject(new CliError(`the scratch hub exited with ${String(code)}: ${stderr}`))));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (!line.startsWith('Switchboard hub listening on')) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve();
    });
  });
  const info = readConnectionFile(dataDir);
  if (info === undefined) throw new CliError('the scratch hub wrote no connection.json');
  return { child, http: info.http, token: info.token, port: info.port };
}

async function stopScratchHub(hub: ScratchHub, signal: NodeJS.Signals): Promise<void> {
  if (hub.child.exitCode !== null || hub.child.signalCode !== null) return;
  const exited = new Promise((resolve) => hub.child.once('exit', resolve));
  hub.child.kill(signal);
  await exited;
}

/** Sends one message until the hub acknowledges it (the same client_msg_id each time, so it is stored once). */
async function sendUntilAcked(current: () => ScratchHub, sender: string, index: number): Promise<void> {
  for (;;) {
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
}

/** Reads the stopped scratch hub's database directly, read-only. */
async function inspect(dataDir: string, acked: ReadonlySet<string>): Promise<Found & { present: number }> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(databaseFile(dataDir), { readonly: true });
  try {
    const rows = db
      .prepare<[string], { seq: number; client_msg_id: string | null }>('SELECT seq, client_msg_id FROM messages WHERE conversation_id = ? ORDER BY seq')
      .all(CONVERSATION);
    const ids = rows.map((row) => row.client_msg_id ?? '');
    let gaps = 0;
    for (let i = 1; i < rows.length; i++) if ((rows[i]?.seq ?? 0) !== (rows[i - 1]?.seq ?? 0) + 1) gaps++;
    const integrity = String(db.pragma('integrity_check', { simple: true }));
    const distinct = new Set(ids);
    return { rows: rows.length, distinct: distinct.size, gaps, integrity, present: [...acked].filter((id) => distinct.has(id)).length };
  } finally {
    db.close();
  }
}

export async function runSelftest(messages: number, progress: (line: string) => void): Promise<SelftestResult & { gaps: number }> {
  const started = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-selftest-'));
  let hub = await startScratchHub(dataDir, 0);
  const acked = new Set<string>();
  let kills = 0;
  try {
    const perSender = Math.ceil(messages / SENDERS.length);
    const killAt = Array.from({ length: KILLS }, (_, i) => Math.round(((i + 1) * messages) / (KILLS + 1)));
    const sendAll = async (sender: string): Promise<void> => {
      let next = 0;
      const worker = async (): Promise<void> => {
        for (let index = next++; index < perSender; index = next++) {
          await sendUntilAcked(() => hub, sender, index);
          acked.add(`${sender}-${index}`);
        }
      };
      await Promise.all(Array.from({ length: WINDOW }, worker));
    };
    const killer = (async () => {
      for (const at of killAt) {
        while (acked.size < at) await sleep(5);
        await stopScratchHub(hub, 'SIGKILL');
        kills++;
        progress(`killed the hub (SIGKILL) after ${acked.size} acknowledged messages; starting it again`);
        hub = await startScratchHub(dataDir, hub.port);
      }
    })();
    await Promise.all([...SENDERS.map(sendAll), killer]);
    await stopScratchHub(hub, 'SIGTERM');
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
    await stopScratchHub(hub, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function selftest(options: { messages?: string; json?: boolean }): Promise<void> {
  const messages = Number(options.messages ?? '2000');
  if (!Number.isInteger(messages) || messages < 100 || messages > 1_000_000) throw new CliError('--messages must be a whole number from 100 to 1000000');
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  say(`Switchboard self-test: ${messages} messages to a scratch hub killed ${KILLS} times on the way…`);
  const result = await runSelftest(messages, say);
  const failed = result.lost > 0 || result.duplicates > 0 || result.gaps > 0 || result.integrity !== 'ok';
  say(
    `${failed ? 'FAILED' : 'passed'}: ${result.acked} acknowledged, ${result.found} found, ${result.lost} lost, ${result.duplicates} duplicated, ` +
      `${result.gaps} gaps in seq, ${result.kills} kills, integrity ${result.integrity}, ${result.seconds} s`,
  );
  const { acked, found, lost, duplicates, kills, integrity, seconds } = result;
  if (options.json === true) say(JSON.stringify({ acked, found, lost, duplicates, kills, integrity, seconds }));
  if (failed) throw new CliError('the self-test found acknowledged messages missing, duplicated or out of sequence (details above)');
}
