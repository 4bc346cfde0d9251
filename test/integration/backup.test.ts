/** Backups of a running hub: consistent under load, refusals with codes, and POST /api/backups. */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHub } from '../../electron/hub/hub.js';
import { silentLogger } from '../../electron/common/logger.js';
import { inspect, messageRows } from '../helpers/backups.js';
import { agentToken, api, tempFolders, useHub } from '../helpers/hub.js';
import { ackCount, startSender } from '../helpers/senders.js';
import { eventually } from '../helpers/wait.js';

const folder = tempFolders('switchboard-backup-');

/** Enough messages that the copy takes many steps, with commits landing between them. */
const ACKS_BEFORE_BACKUP = 5000;

describe('hub.backup', () => {
  const h = useHub();

  it('copies every message acknowledged before it began, as one consistent state, while agents keep sending', async () => {
    const senders = await Promise.all([0, 1, 2, 3].map((i) => startSender(h.hub, `sender-${i}`, [`load-${i}`])));
    await eventually(() => (ackCount(senders) >= ACKS_BEFORE_BACKUP ? true : undefined), `${ACKS_BEFORE_BACKUP} acks`, 15_000);
    const ackedBefore = senders.flatMap((s) => [...s.acks]);
    const highestAcked = Math.max(...ackedBefore.map((a) => a.seq));
    const file = join(folder(), 'under-load.db');

    const result = await h.hub.hub.backup(file);
    const acksAtEnd = ackCount(senders);
    await eventually(() => (ackCount(senders) > acksAtEnd + 100 ? true : undefined), 'acks after the backup');
    await Promise.all(senders.map((s) => s.stop()));

    const copy = messageRows(file);
    const copied = new Map(copy.map((row) => [row.seq, row]));
    const live = messageRows(join(h.hub.dataDir, 'switchboard.db')).filter((row) => row.seq <= result.lastSeq);
    expect({
      ...inspect(file),
      coversAcks: result.lastSeq >= highestAcked,
      lostOrChanged: ackedBefore.filter((ack) => JSON.stringify(copied.get(ack.seq)) !== JSON.stringify(ack)),
      // The copy is exactly the live database as it was at one moment: no batch in halves, nothing after.
      sameAsLiveUpToLastSeq: JSON.stringify(copy) === JSON.stringify(live),
      result: { messages: result.messages, lastSeq: result.lastSeq },
      health: (await api(h.hub, 'GET', '/api/health')).body['status'],
    }).toEqual({
      integrity: 'ok',
      version: result.schemaVersion,
      coversAcks: true,
      lostOrChanged: [],
      sameAsLiveUpToLastSeq: true,
      result: { messages: copy.length, lastSeq: copy.at(-1)?.seq },
      health: 'healthy',
    });
  });

  it('refuses a relative path, a missing folder, a folder and the live database, and writes nothing', async () => {
    const dir = folder();
    mkdirSync(join(dir, 'a-folder'));
    const attempt = (destination: string): Promise<unknown> =>
      h.hub.hub.backup(destination).then(
        () => 'written',
        (error: { code?: string; message?: string }) => `${error.code}: ${error.message}`,
      );
    const live = join(h.hub.dataDir, 'switchboard.db');
    expect({
      relative: await attempt('backup.db'),
      missingFolder: await attempt(join(dir, 'no-such-folder', 'backup.db')),
      folder: await attempt(join(dir, 'a-folder')),
      live: await attempt(live),
      wal: await attempt(`${live}-wal`),
      written: readdirSync(dir),
    }).toEqual({
      relative: 'SB_ERR_VALIDATION: the backup path must be absolute (got "backup.db")',
      missingFolder: `SB_ERR_VALIDATION: the folder ${join(dir, 'no-such-folder')} does not exist`,
      folder: `SB_ERR_VALIDATION: ${join(dir, 'a-folder')} is a folder; give a file name`,
      live: `SB_ERR_VALIDATION: ${live} is the database itself; choose another file for the backup`,
      wal: `SB_ERR_VALIDATION: ${live}-wal is the database itself; choose another file for the backup`,
      written: ['a-folder'],
    });
  });

  it('overwrites an existing file at the destination with a whole backup', async () => {
    const dir = folder();
    const file = join(dir, 'again.db');
    writeFileSync(file, 'an older file');
    await api(h.hub, 'POST', '/api/messages', { body: { conversation_id: 'general', content: 'kept' } });
    const result = await h.hub.hub.backup(file);
    expect({ ...inspect(file), contents: messageRows(file).map((m) => m.content), leftovers: readdirSync(dir) }).toEqual({
      integrity: 'ok',
      version: result.schemaVersion,
      contents: ['kept'],
      leftovers: ['again.db'],
    });
  });
});

describe('a hub that is not running', () => {
  it('refuses to back up, before it starts and after it stops', async () => {
    const hub = createHub({ port: 0, dataDir: folder() }, { logger: silentLogger });
    const file = join(folder(), 'never.db');
    const before = await hub.backup(file).catch((error: { code?: string }) => error.code);
    await hub.start();
    await hub.stop();
    const after = await hub.backup(file).catch((error: { code?: string }) => error.code);
    expect({ before, after, written: existsSync(file) }).toEqual({ before: 'SB_ERR_CONFLICT', after: 'SB_ERR_CONFLICT', written: false });
  });
});

describe('POST /api/backups', () => {
  const h = useHub();

  it('writes to the given file and answers 201 with what the copy holds', async () => {
    await api(h.hub, 'POST', '/api/messages', { body: { conversation_id: 'general', content: 'one' } });
    const file = join(folder(), 'by-http.db');
    const { status, body } = await api(h.hub, 'POST', '/api/backups', { body: { path: file } });
    const logs = await api(h.hub, 'GET', '/api/relay/logs?limit=5');
    expect({ status, body, audited: (logs.body['logs'] as { kind: string; file?: string }[]).filter((e) => e.kind === 'backup_created') }).toEqual({
      status: 201,
      body: {
        status: 'ok',
        backup: { file, bytes: expect.any(Number), schema_version: expect.any(Number), messages: 1, tasks: 0, last_seq: 1, created_at: expect.any(String) },
      },
      audited: [expect.objectContaining({ kind: 'backup_created', actor: 'user', file, last_seq: 1 })],
    });
  });

  it('writes to the backups folder in the data folder when no path is given, with a name that is never pruned', async () => {
    const { status, body } = await api(h.hub, 'POST', '/api/backups');
    const file = (body['backup'] as { file: string }).file;
    expect({ status, file, listed: readdirSync(join(h.hub.dataDir, 'backups')) }).toEqual({
      status: 201,
      file: expect.stringMatching(new RegExp(`^${join(h.hub.dataDir, 'backups')}/switchboard-\\d{8}-\\d{6}-manual\\.db$`)),
      listed: [file.split('/').at(-1)],
    });
  });

  it('is for the admin token only, and refuses a bad request with a code', async () => {
    const dir = folder();
    const agent = await api(h.hub, 'POST', '/api/backups', { body: { path: join(dir, 'agent.db') }, token: await agentToken(h.hub, 'coder') });
    const answers = await Promise.all(
      [{ path: 'relative.db' }, { path: join(dir, 'missing', 'x.db') }, { file: join(dir, 'typo.db') }, { path: 42 }].map((body) =>
        api(h.hub, 'POST', '/api/backups', { body }),
      ),
    );
    expect({
      agent: [agent.status, (agent.body['error'] as { code: string }).code],
      answers: answers.map((a) => [a.status, (a.body['error'] as { code: string }).code]),
      written: readdirSync(dir),
    }).toEqual({
      agent: [403, 'SB_ERR_FORBIDDEN'],
      answers: [
        [400, 'SB_ERR_VALIDATION'],
        [400, 'SB_ERR_VALIDATION'],
        [400, 'SB_ERR_VALIDATION'],
        [400, 'SB_ERR_VALIDATION'],
      ],
      written: [],
    });
  });
});
