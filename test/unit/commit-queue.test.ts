import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCommitQueue, type CommitQueue } from '../../electron/hub/store/commit-queue.js';
import { createDatabaseHealth } from '../../electron/hub/health/database-health.js';
import { silentLogger } from '../../electron/common/logger.js';
import { closeDatabase, openDatabase } from '../../electron/hub/store/database.js';
import { tempDir } from '../helpers/hub.js';

function openTestDb() {
  const db = openDatabase(join(tempDir(), 'test.db'));
  db.exec('CREATE TABLE items (name TEXT NOT NULL UNIQUE)');
  return db;
}

describe('group commit', () => {
  it('commits every write queued in one turn of the event loop as one transaction, then reports each', async () => {
    const db = openTestDb();
    const queue = createCommitQueue(db, silentLogger);
    const insert = db.prepare('INSERT INTO items (name) VALUES (?)');
    const committed: string[] = [];
    const done = ['a', 'b', 'c'].map(
      (name) =>
        new Promise<void>((resolve, reject) =>
          queue.enqueue({
            apply: () => insert.run(name).lastInsertRowid,
            committed: () => {
              // Every write of the batch is already visible when the first is reported.
              committed.push(`${name}:${String(db.prepare('SELECT count(*) AS n FROM items').pluck().get())}`);
              resolve();
            },
            failed: reject,
          }),
        ),
    );
    await Promise.all(done);
    expect({ committed, stats: queue.stats }).toEqual({ committed: ['a:3', 'b:3', 'c:3'], stats: { batches: 1, writes: 3, largestBatch: 3 } });
    closeDatabase(db);
  });

  it('stores the good writes of a batch when one write fails, and tells only that writer', async () => {
    const db = openTestDb();
    let reloads = 0;
    const queue = createCommitQueue(db, silentLogger, () => reloads++);
    const insert = db.prepare('INSERT INTO items (name) VALUES (?)');
    const outcome = (name: string) =>
      new Promise<string>((resolve) =>
        queue.enqueue({ apply: () => insert.run(name), committed: () => resolve(`${name} stored`), failed: () => resolve(`${name} failed`) }),
      );
    const results = await Promise.all([outcome('x'), outcome('x'), outcome('y')]);
    expect(results).toEqual(['x stored', 'x failed', 'y stored']);
    expect(db.prepare('SELECT name FROM items ORDER BY name').pluck().all()).toEqual(['x', 'y']);
    expect(reloads).toBeGreaterThan(0);
    closeDatabase(db);
  });

  it('opens the database in WAL mode with synchronous=NORMAL', () => {
    const db = openTestDb();
    expect({ journal: db.pragma('journal_mode', { simple: true }), synchronous: db.pragma('synchronous', { simple: true }) }).toEqual({
      journal: 'wal',
      synchronous: 1,
    });
    closeDatabase(db);
  });
});

describe('group commit and the database health', () => {
  const outcome = (queue: CommitQueue, insert: () => unknown): Promise<string> =>
    new Promise((resolve) =>
      queue.enqueue({ apply: insert, committed: () => resolve('stored'), failed: (error) => resolve(`failed ${(error as { code: string }).code}`) }),
    );

  it('refuses writes the full database cannot hold with SB_ERR_STORAGE, marks writes failing, and is healthy again after the next good commit', async () => {
    const db = openTestDb();
    const health = createDatabaseHealth({ advice: () => 'restore it', logger: silentLogger });
    const queue = createCommitQueue(
      db,
      silentLogger,
      () => {},
      () => {},
      health,
    );
    const insert = db.prepare('INSERT INTO items (name) VALUES (?)');
    // SQLite's own limit on the file's pages: past it, a write fails with SQLITE_FULL as on a full disk.
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const big = (name: string) => () => insert.run(`${name}${'x'.repeat(64 * 1024)}`);
    const refused = await Promise.all([outcome(queue, big('a')), outcome(queue, big('b'))]);
    const whileFull = health.status();
    db.pragma(`max_page_count = ${pages * 1000}`);
    const later = await outcome(queue, () => insert.run('small'));
    expect({
      refused,
      whileFull,
      later,
      after: health.status().state,
      stored: db.prepare('SELECT name FROM items').pluck().all(),
    }).toEqual({
      refused: ['failed SB_ERR_STORAGE', 'failed SB_ERR_STORAGE'],
      whileFull: { state: 'write-failing', reason: 'writes to the database are failing (database or disk is full)', advice: undefined },
      later: 'stored',
      after: 'healthy',
      stored: ['small'],
    });
    closeDatabase(db);
  });

  it('refuses every write with SB_ERR_READ_ONLY once the database is damaged, without running it', async () => {
    const db = openTestDb();
    const health = createDatabaseHealth({ advice: () => 'Restore the newest backup.', logger: silentLogger });
    const queue = createCommitQueue(
      db,
      silentLogger,
      () => {},
      () => {},
      health,
    );
    health.damaged('SQLite reported the database file damaged');
    let ran = 0;
    const message = await new Promise<string>((resolve) =>
      queue.enqueue({
        apply: () => ran++,
        committed: () => resolve('stored'),
        failed: (error) => resolve(`${(error as { code: string }).code}: ${(error as Error).message}`),
      }),
    );
    expect({ message, ran, health: health.status().state }).toEqual({
      message: 'SB_ERR_READ_ONLY: the hub is read-only: SQLite reported the database file damaged. Restore the newest backup.',
      ran: 0,
      health: 'damaged',
    });
    closeDatabase(db);
  });
});
