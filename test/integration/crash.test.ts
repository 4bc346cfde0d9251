/** Durability: the real CLI in a child process, SIGKILL during a burst of sends, restart, nothing acknowledged is lost. */
import { chmodSync, existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../shared/index.js';
import { serveCli, type CliHub } from '../helpers/cli-process.js';
import { openSocket, tempDir } from '../helpers/hub.js';
import { ackCount, startSender, type Acked } from '../helpers/senders.js';
import { eventually } from '../helpers/wait.js';

const CLIENTS = 4;
const CONVERSATIONS = ['crash-a', 'crash-b'];
/** Enough acknowledged messages that reading them back needs more than one page of 1000. */
const KILL_AFTER_ACKS = 2500;

async function getJson(cli: CliHub, path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${cli.http}${path}`, { headers: { authorization: `Bearer ${cli.token}` } });
  return (await response.json()) as Record<string, unknown>;
}

/** Every stored message of a conversation, read over HTTP 1000 at a time following next_since. */
async function readAll(cli: CliHub, conversationId: string): Promise<{ messages: StoredMessage[]; pages: number }> {
  const messages: StoredMessage[] = [];
  let since = 0;
  let pages = 0;
  for (;;) {
    const page = await getJson(cli, `/api/conversations/${conversationId}/messages?since=${since}&limit=1000`);
    const rows = page['messages'] as StoredMessage[];
    pages++;
    if (rows.length === 0) return { messages, pages };
    messages.push(...rows);
    since = page['next_since'] as number;
  }
}

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

describe('crash safety', () => {
  const running: CliHub[] = [];
  const folders: string[] = [];
  afterEach(async () => {
    for (const cli of running.splice(0)) {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
      await cli.exited;
    }
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('keeps every acknowledged message after SIGKILL during a burst, with an intact WAL database, and private files', async () => {
    const dataDir = join(tempDir(), 'data');
    folders.push(dirname(dataDir));
    const first = await serveCli(dataDir);
    running.push(first);
    const permissions = { folder: mode(dataDir), connectionFile: mode(join(dataDir, 'connection.json')) };

    const bursts = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => startSender(first, `agent-${i}`, CONVERSATIONS)));
    await eventually(() => (ackCount(bursts) >= KILL_AFTER_ACKS ? true : undefined), `${KILL_AFTER_ACKS} acks`, 15_000);
    first.child.kill('SIGKILL');
    const killed = await first.exited;
    const closeCodes = await Promise.all(bursts.map((b) => b.closed));
    const acked = bursts.flatMap((b) => b.acks);
    const unacknowledged = bursts.reduce((n, b) => n + b.sent - b.acks.length, 0);

    const second = await serveCli(dataDir);
    running.push(second);
    const read = await Promise.all(CONVERSATIONS.map((id) => readAll(second, id)));
    const stored = new Map(read.flatMap((r) => r.messages).map((m) => [m.seq, m]));
    const maxStoredSeq = Math.max(...stored.keys());
    const afterRestart = await fetch(`${second.http}/api/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${second.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ conversation_id: 'crash-a', content: 'after the crash' }),
    });
    const newSeq = ((await afterRestart.json()) as { message: StoredMessage }).message.seq;
    second.child.kill('SIGTERM');
    const stopped = await second.exited;

    const db = new Database(join(dataDir, 'switchboard.db'), { readonly: true, fileMustExist: true });
    const integrity = db.pragma('integrity_check', { simple: true });
    const journal = db.pragma('journal_mode', { simple: true });
    db.close();

    const pick = (m: StoredMessage | undefined): Acked | undefined =>
      m === undefined ? undefined : { seq: m.seq, conversation_id: m.conversation_id, sender: m.sender, content: m.content, client_msg_id: m.client_msg_id };
    const orderedWithin = read.every((r) => r.messages.every((m, i) => i === 0 || m.seq > (r.messages[i - 1]?.seq ?? 0)));
    expect({
      killed,
      midBurst: unacknowledged > 0,
      closeCodes,
      pagesRead: read.map((r) => r.pages > 2),
      enoughAcked: acked.length >= KILL_AFTER_ACKS,
      lostOrChanged: acked.filter((a) => JSON.stringify(pick(stored.get(a.seq))) !== JSON.stringify(a)),
      distinctSeqs: stored.size === read.reduce((n, r) => n + r.messages.length, 0),
      orderedWithin,
      seqAfterRestart: newSeq > maxStoredSeq,
      sameToken: second.token === first.token,
      stopped,
      integrity,
      journal,
      permissions,
    }).toEqual({
      killed: { code: null, signal: 'SIGKILL' },
      midBurst: true,
      closeCodes: Array.from({ length: CLIENTS }, () => 1006),
      pagesRead: CONVERSATIONS.map(() => true),
      enoughAcked: true,
      lostOrChanged: [],
      distinctSeqs: true,
      orderedWithin: true,
      seqAfterRestart: true,
      sameToken: true,
      stopped: { code: 0, signal: null },
      integrity: 'ok',
      journal: 'wal',
      permissions: { folder: '700', connectionFile: '600' },
    });
  });

  it('stops cleanly on SIGTERM: connected clients are told why with 1001 and the WAL is written back into the database', async () => {
    const dataDir = tempDir();
    folders.push(dataDir);
    const cli = await serveCli(dataDir);
    running.push(cli);
    const client = await openSocket(cli.wsUrl, { headers: { authorization: `Bearer ${cli.token}` } });
    await client.next('welcome');
    await client.request({ type: 'send_message', conversation_id: 'general', content: 'before the stop' });
    cli.child.kill('SIGTERM');
    const error = await client.next('error');
    const closed = await client.waitClosed();
    const stopped = await cli.exited;
    const wal = join(dataDir, 'switchboard.db-wal');
    const db = new Database(join(dataDir, 'switchboard.db'), { readonly: true, fileMustExist: true });
    const contents = db.prepare('SELECT content FROM messages').pluck().all();
    db.close();
    expect({
      error: error['code'],
      closed: closed.code,
      stopped,
      walEmpty: !existsSync(wal) || statSync(wal).size === 0,
      contents,
    }).toEqual({
      error: 'SB_ERR_SHUTTING_DOWN',
      closed: 1001,
      stopped: { code: 0, signal: null },
      walEmpty: true,
      contents: ['before the stop'],
    });
  });

  it('tightens an existing data folder to 0700 and rewrites connection.json as 0600 on every start', async () => {
    const dataDir = tempDir();
    folders.push(dataDir);
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'connection.json'), '{}', { mode: 0o644 });
    const cli = await serveCli(dataDir);
    running.push(cli);
    const permissions = { folder: mode(dataDir), connectionFile: mode(join(dataDir, 'connection.json')), logs: mode(join(dataDir, 'logs')) };
    cli.child.kill('SIGTERM');
    expect({ permissions, stopped: await cli.exited }).toEqual({
      permissions: { folder: '700', connectionFile: '600', logs: '700' },
      stopped: { code: 0, signal: null },
    });
  });
});
