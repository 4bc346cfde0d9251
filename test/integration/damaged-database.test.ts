/** A damaged database is never served as healthy and never written to: found at start, or met while the hub runs. */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backupsFolder, restoreBackup, scheduledBackupName } from '../../electron/hub/backup/index.js';
import { createHub } from '../../electron/hub/hub.js';
import { SCHEMA_VERSION } from '../../electron/hub/store/migrations.js';
import { silentLogger } from '../../electron/common/logger.js';
import { HubStartError } from '../../electron/common/start-error.js';
import { createWindowSession } from '../../electron/shell/window-session.js';
import { runCli } from '../helpers/cli-process.js';
import { damageHeader, damageLeafPages, damageRunningDatabase, fingerprint } from '../helpers/damage.js';
import { api, connectAgent, startHub, tempFolders, type Frame, type TestClient, type TestHub } from '../helpers/hub.js';
import { publish, storedMessages } from '../helpers/messages.js';
import { logIn } from '../helpers/sessions.js';

const folder = tempFolders('switchboard-damage-');

const EARLY = ['before the damage 1', 'before the damage 2', 'before the damage 3'];

/**
 * A data folder whose stopped hub stored three short messages in `early`, then enough long ones in `bulk`
 * to fill many pages, and made a scheduled backup; returns the folder, its database and the backup.
 */
async function dataDirWithMessages(): Promise<{ dataDir: string; file: string; backup: string }> {
  const dataDir = folder();
  const hub = await startHub({ dataDir });
  const writer = await connectAgent(hub, 'writer');
  await publish(writer, 'early', EARLY.length, (i) => EARLY[i] ?? '');
  await publish(writer, 'bulk', 300, (i) => `${i} ${'long message '.repeat(80)}`);
  mkdirSync(backupsFolder(dataDir));
  const backup = join(backupsFolder(dataDir), scheduledBackupName(Date.now()));
  await hub.hub.backup(backup);
  await writer.close();
  await hub.stop();
  return { dataDir, file: join(dataDir, 'switchboard.db'), backup };
}

/** A write over each path a client has: an HTTP post, a `send_message` frame, and a direct write (a new token). */
async function tryWrites(hub: TestHub, client: TestClient): Promise<{ http: unknown; token: unknown; frame: Frame; acks: number }> {
  const from = client.frames.length;
  const http = await api(hub, 'POST', '/api/messages', { body: { conversation_id: 'early', content: 'after the damage' } });
  const token = await api(hub, 'POST', '/api/tokens', { body: { agent: 'newcomer' } });
  const frame = await client.request({ type: 'send_message', conversation_id: 'early', content: 'after the damage' });
  return {
    http: { status: http.status, code: (http.body['error'] as { code: string }).code },
    token: { status: token.status, code: (token.body['error'] as { code: string }).code },
    frame,
    acks: client.frames.slice(from).filter((f) => f.type === 'ack').length,
  };
}

const REFUSED = {
  http: { status: 503, code: 'SB_ERR_READ_ONLY' },
  token: { status: 503, code: 'SB_ERR_READ_ONLY' },
  frame: expect.objectContaining({ type: 'error', code: 'SB_ERR_READ_ONLY' }),
  acks: 0,
};

describe('a database damaged before the hub starts', () => {
  it('starts read-only: serves what it can still read, refuses every write with SB_ERR_READ_ONLY and leaves the file byte for byte as it was', async () => {
    const { dataDir, file, backup } = await dataDirWithMessages();
    expect(damageLeafPages(file, 'messages', 2)).toBeGreaterThan(10);
    const before = fingerprint(file);
    const hub = await startHub({ dataDir });
    const client = await connectAgent(hub, 'reader');
    const health = await api(hub, 'GET', '/api/health', { token: null });
    const status = await api(hub, 'GET', '/ws/status');
    const early = await storedMessages(hub, 'early');
    const writes = await tryWrites(hub, client);
    const backupRefused = await api(hub, 'POST', '/api/backups', { body: {} });
    const cli = await runCli(['status', '--data-dir', dataDir]);
    await client.close();
    await hub.stop();
    const untouched = fingerprint(file);
    // The advice works: the backup it names goes in, and the next hub is healthy again.
    await restoreBackup({ dataDir, source: backup });
    const restored = await startHub({ dataDir });
    const afterRestore = {
      health: (await api(restored, 'GET', '/api/health', { token: null })).body['status'],
      early: (await storedMessages(restored, 'early')).length,
    };
    await restored.stop();
    expect({
      health: { code: health.status, ...health.body },
      status: { status: status.body['status'], database: status.body['database'] },
      early: early.map((m) => m.content),
      writes,
      backup: (backupRefused.body['error'] as { code: string }).code,
      file: untouched,
      afterRestore,
    }).toEqual({
      health: {
        code: 503,
        status: 'degraded',
        connections: expect.any(Number),
        database: 'damaged',
        reason: expect.stringContaining("the database failed SQLite's quick check at start"),
        advice: `Restore the newest backup: stop the hub and run "switchboard restore ${backup}", or choose Restore backup… in the tray menu.`,
        timestamp: expect.any(String),
      },
      status: { status: 'degraded', database: expect.objectContaining({ state: 'damaged', read_only: true }) },
      early: EARLY,
      writes: REFUSED,
      backup: 'SB_ERR_READ_ONLY',
      file: before,
      afterRestore: { health: 'healthy', early: EARLY.length },
    });
    expect(writes.frame['message']).toContain(`switchboard restore ${backup}`);
    expect(cli.stdout.split('\n').slice(-3)).toEqual([
      expect.stringMatching(/^ {2}database {8}damaged, the hub is read-only: the database failed SQLite's quick check at start/),
      `  Restore the newest backup: stop the hub and run "switchboard restore ${backup}", or choose Restore backup… in the tray menu.`,
      '',
    ]);
  });

  it('still lets a person sign in to see what is wrong — a login link, and the desktop window — with sessions kept in memory, not in the file', async () => {
    const { dataDir, file } = await dataDirWithMessages();
    damageLeafPages(file, 'messages', 2);
    const before = fingerprint(file);
    const hub = await startHub({ dataDir });
    const browser = await logIn(hub);
    const window = createWindowSession({ services: () => hub.hub.services }).renew(hub.http);
    const read = async (cookie: string): Promise<unknown> => {
      const { status, body } = await api(hub, 'GET', '/ws/status', { token: null, headers: { cookie } });
      return { status, database: (body['database'] as { state: string } | undefined)?.state };
    };
    const seen = { browser: await read(browser), window: await read(`${window.name}=${window.value}`) };
    await hub.stop();
    expect({ seen, file: fingerprint(file) }).toEqual({
      seen: { browser: { status: 200, database: 'damaged' }, window: { status: 200, database: 'damaged' } },
      file: before,
    });
  });

  it('refuses to start, in one sentence that says how to restore, when SQLite cannot read the file at all; the file is left as it was', async () => {
    const { dataDir, file, backup } = await dataDirWithMessages();
    damageHeader(file);
    const before = fingerprint(file);
    const hub = createHub({ port: 0, dataDir }, { logger: silentLogger });
    const refusal = await hub.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    await hub.stop();
    const serve = await runCli(['serve', '--port', '0', '--data-dir', dataDir]);
    expect({ code: serve.code, stderr: serve.stderr }).toEqual({ code: 1, stderr: `${(refusal as Error).message}\n` });
    expect(refusal).toBeInstanceOf(HubStartError);
    expect((refusal as Error).message).toMatch(
      /^Switchboard cannot start: .*switchboard\.db is damaged and cannot be read even read-only \(.*\)\. Restore the newest backup/,
    );
    expect((refusal as Error).message).toContain(`switchboard restore ${backup}`);
    expect(fingerprint(file)).toEqual(before);
  });
  it('refuses to start when connection.json holds no admin token, since a read-only hub cannot store a new one', async () => {
    const { dataDir, file } = await dataDirWithMessages();
    damageLeafPages(file, 'messages', 2);
    rmSync(join(dataDir, 'connection.json'));
    const before = fingerprint(file);
    const hub = createHub({ port: 0, dataDir }, { logger: silentLogger });
    const refusal = await hub.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    await hub.stop();
    expect({ refusal: refusal instanceof HubStartError ? refusal.message : refusal, file: fingerprint(file) }).toEqual({
      refusal: expect.stringMatching(
        /^Switchboard cannot start: .* is damaged and a read-only hub cannot store the new admin token it needs \(.*quick check.*\)\. Restore the newest backup/,
      ),
      file: before,
    });
  });

  it('refuses to start, saying so, when the damaged file was written by an older Switchboard; the backup restored in its place is upgraded and served', async () => {
    const { dataDir, file, backup } = await dataDirWithMessages();
    const older = new Database(file);
    older.pragma(`user_version = ${SCHEMA_VERSION - 1}`);
    older.close();
    damageLeafPages(file, 'messages', 2);
    const before = fingerprint(file);
    const hub = createHub({ port: 0, dataDir }, { logger: silentLogger });
    const refusal = await hub.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    await hub.stop();
    const untouched = fingerprint(file);
    await restoreBackup({ dataDir, source: backup });
    const restored = await startHub({ dataDir });
    const early = (await storedMessages(restored, 'early')).map((m) => m.content);
    await restored.stop();
    expect({ refusal: refusal instanceof HubStartError ? refusal.message : refusal, file: untouched, early }).toEqual({
      refusal: expect.stringMatching(
        new RegExp(
          `^Switchboard cannot start: .* is damaged and was written by an older Switchboard: .*\\(.*quick check.*\\)\\. Restore the newest backup.*switchboard restore ${backup}`,
        ),
      ),
      file: before,
      early: EARLY,
    });
  });
});

describe('a database that turns out damaged while the hub runs', () => {
  it('makes the hub read-only with a critical alert; no write after it is acknowledged and the file is not written again', async () => {
    const { dataDir, file } = await dataDirWithMessages();
    const hub = await startHub({ dataDir });
    const watcher = await connectAgent(hub, 'watcher');
    await watcher.request({ type: 'subscribe', alerts: true });
    const healthyBefore = (await api(hub, 'GET', '/api/health', { token: null })).body['status'];
    damageRunningDatabase(file);
    const read = await api(hub, 'GET', '/api/conversations/bulk/messages?since=0&limit=1000');
    const alert = await watcher.next((f) => f.type === 'alert');
    const damagedAt = fingerprint(file);
    const writes = await tryWrites(hub, watcher);
    const health = await api(hub, 'GET', '/api/health', { token: null });
    await watcher.close();
    await hub.stop();
    expect({
      healthyBefore,
      read: { status: read.status, code: (read.body['error'] as { code: string }).code },
      alert: alert['alert'],
      writes,
      health: { code: health.status, status: health.body['status'], database: health.body['database'], reason: health.body['reason'] },
      file: fingerprint(file),
    }).toEqual({
      healthyBefore: 'healthy',
      read: { status: 503, code: 'SB_ERR_READ_ONLY' },
      alert: expect.objectContaining({ rule: 'database_damaged', level: 'critical', state: 'open', message: expect.stringContaining('The hub is read-only') }),
      writes: REFUSED,
      health: { code: 503, status: 'degraded', database: 'damaged', reason: expect.stringContaining('SQLite reported the database file damaged') },
      file: damagedAt,
    });
  });
});

/**
 * A data folder on a small file system of its own that the test can fill: a tmpfs, when the test runs as
 * root and may mount one; undefined otherwise.
 */
function smallDisk(): { dir: string; unmount(): void } | undefined {
  const dir = folder();
  if (process.getuid?.() !== 0) return undefined;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return { dir, unmount: () => execFileSync('umount', [dir], { stdio: 'ignore' }) };
}

/** Fills the file system under `dir` to the last byte; returns the file that fills it. */
function fill(dir: string): string {
  const filler = join(dir, 'filler');
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return filler;
}

const post = (hub: TestHub, content: string): Promise<{ status: number; body: Record<string, unknown> }> =>
  api(hub, 'POST', '/api/messages', { body: { conversation_id: 'general', content } });

const healthOf = async (hub: TestHub): Promise<unknown> => {
  const { status, body } = await api(hub, 'GET', '/api/health', { token: null });
  return { code: status, status: body['status'], database: body['database'], reason: body['reason'] };
};

describe('writes that fail for a while', () => {
  it('turn health degraded with the reason while the disk is full, acknowledge nothing, and health returns to healthy by itself once a write succeeds', async () => {
    const disk = smallDisk();
    const hub = await startHub({ dataDir: disk?.dir ?? folder() });
    try {
      const healthy = await healthOf(hub);
      // A message larger than anything written so far needs new room in the WAL.
      const big = 'x'.repeat(400 * 1024);
      let failed: string;
      let filler: string | undefined;
      if (disk !== undefined) {
        filler = fill(disk.dir);
        const refused = await post(hub, big);
        failed = `${refused.status} ${(refused.body['error'] as { code: string }).code}`;
      } else {
        // No file system to fill here: the same error SQLite gives on a full disk, from a write in the commit queue.
        const error = await new Promise<unknown>((resolve) =>
          hub.hub.services.commits.enqueue({
            apply: () => {
              throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
            },
            committed: () => resolve(undefined),
            failed: resolve,
          }),
        );
        failed = `503 ${(error as { code: string }).code}`;
      }
      const degraded = await healthOf(hub);
      if (filler !== undefined) rmSync(filler);
      const later = await post(hub, 'the disk has room again');
      const recovered = await healthOf(hub);
      const stored = await storedMessages(hub, 'general');
      expect({
        healthy,
        failed,
        degraded,
        later: later.status,
        recovered,
        stored: stored.map((m) => m.content.slice(0, 30)),
      }).toEqual({
        healthy: { code: 200, status: 'healthy', database: 'ok', reason: undefined },
        failed: '503 SB_ERR_STORAGE',
        degraded: { code: 503, status: 'degraded', database: 'write-failing', reason: expect.stringMatching(/^writes to the database are failing \(.*full/) },
        later: 201,
        recovered: { code: 200, status: 'healthy', database: 'ok', reason: undefined },
        stored: ['the disk has room again'],
      });
    } finally {
      await hub.stop();
      disk?.unmount();
    }
  });
});
