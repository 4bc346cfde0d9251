/**
 * What the start check costs: builds a Switchboard database of about the given size out of messages
 * (default 1024 MB), then times the hub's check at start (SQLite's quick_check on a worker thread) and
 * how late the event loop ran meanwhile.
 * Usage: node dist/scripts/quick-check-cost.js [megabytes] [database file]
 * An existing file is measured as it is; a file the script builds is deleted afterwards.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { closeDatabase, createMessageStore, findDamage, openDatabase, pendingIndexer } from '../electron/hub/index.js';

const WORDS = 'agent task review build deploy message queue relay hub token search index page commit branch test error retry lease result'.split(' ');
const BATCH = 5_000;

/** About 1 KB of words, different for each message, so the full-text index grows as it does in use. */
function content(n: number): string {
  const words: string[] = [];
  let x = n * 2654435761;
  while (words.length < 160) {
    x = (x * 1103515245 + 12345) >>> 0;
    words.push(WORDS[x % WORDS.length] ?? 'hub');
  }
  return `${n} ${words.join(' ')}`;
}

function build(file: string, megabytes: number): void {
  const db = openDatabase(file);
  const messages = createMessageStore(db);
  const indexPending = pendingIndexer(db);
  const target = megabytes * 1024 * 1024;
  const started = performance.now();
  let n = 0;
  while (statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0) < target) {
    db.transaction(() => {
      for (let i = 0; i < BATCH; i++, n++) {
        messages.insert({ conversation_id: `conversation-${n % 50}`, sender: `agent-${n % 7}`, message_type: 'message', content: content(n) }, Date.now());
      }
      // Indexed for search as the hub indexes them: in batches after they are stored.
      indexPending(BATCH);
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
  }
  closeDatabase(db);
  process.stdout.write(
    `built ${file}: ${(statSync(file).size / 1024 / 1024).toFixed(0)} MB, ${n} messages, in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
}

async function measure(file: string): Promise<void> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 10);
  delay.enable();
  const started = performance.now();
  const damage = await findDamage(file);
  const seconds = (performance.now() - started) / 1000;
  delay.disable();
  clearInterval(ticker);
  const ms = (ns: number): string => (ns / 1e6).toFixed(1);
  process.stdout.write(
    `quick_check of ${(statSync(file).size / 1024 / 1024).toFixed(0)} MB: ${seconds.toFixed(2)} s, ${damage === undefined ? 'sound' : damage}; ` +
      `event loop during it: ${ticks} ticks of a 10 ms timer, delay p50 ${ms(delay.percentile(50))} ms, p99 ${ms(delay.percentile(99))} ms, max ${ms(delay.max)} ms\n`,
  );
}

const megabytes = Number(process.argv[2] ?? 1024);
const given = process.argv[3];
const folder = given === undefined ? mkdtempSync(join(tmpdir(), 'switchboard-quick-check-')) : undefined;
const file = given ?? join(folder ?? '', 'switchboard.db');
try {
  if (!existsSync(file)) build(file, megabytes);
  await measure(file);
} finally {
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
}
