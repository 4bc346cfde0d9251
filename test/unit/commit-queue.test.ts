import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCommitQueue } from '../../electron/hub/commit-queue.js';
import { silentLogger } from '../../electron/hub/logger.js';
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
