/** Scheduled backups of a real hub into a real folder, on a clock the test moves: slots, retention, catch-up, failures. */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATCH_UP_DELAY_MS, checkBackupFile, createBackupScheduler, scheduledBackupName, type BackupEvery } from '../../electron/hub/backup/index.js';
import { manualClock, type ManualClock } from '../helpers/backups.js';
import { tempFolders, useHub } from '../helpers/hub.js';
import { eventually } from '../helpers/wait.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 10, 0, 0, 0);

const tempFolder = tempFolders('switchboard-schedule-');
function backupFolder(files: string[] = []): string {
  const dir = tempFolder();
  const folder = join(dir, 'backups');
  mkdirSync(folder);
  for (const name of files) writeFileSync(join(folder, name), name);
  return folder;
}

describe('createBackupScheduler', () => {
  const h = useHub();

  /** A scheduler backing up this test's hub, recording what it reports. */
  function schedule(folder: string, every: BackupEvery, clock: ManualClock) {
    const written: string[] = [];
    const errors: string[] = [];
    const scheduler = createBackupScheduler({
      folder,
      every,
      clock,
      backup: (file) => h.hub.hub.backup(file),
      onBackup: (file) => written.push(file),
      onError: (error, file) => errors.push(`${file}: ${(error as NodeJS.ErrnoException).code}`),
    });
    /** Moves the clock to `time` and waits until `reports` backups and failures have been reported and the next slot is set. */
    const runTo = async (time: number, reports: number): Promise<void> => {
      clock.advanceTo(time);
      await eventually(() => (written.length + errors.length >= reports && clock.pending > 0 ? true : undefined), `${reports} reports`);
    };
    return { scheduler, written, errors, runTo };
  }

  it('makes the first backup a minute after start when there is none, then one every hour, each at its slot', async () => {
    const folder = backupFolder();
    const clock = manualClock(T0);
    const { scheduler, written, runTo } = schedule(folder, 'hourly', clock);
    scheduler.start();
    const firstAt = scheduler.nextAt;
    clock.advanceTo(T0 + CATCH_UP_DELAY_MS - 1);
    const beforeSlot = readdirSync(folder);
    await runTo(T0 + CATCH_UP_DELAY_MS, 1);
    const secondAt = scheduler.nextAt;
    await runTo(T0 + CATCH_UP_DELAY_MS + HOUR, 2);
    const checks = await Promise.all(written.map(async (file) => (await checkBackupFile(file)).schemaVersion > 0));
    await scheduler.stop();
    expect({ firstAt, beforeSlot, secondAt, files: readdirSync(folder).sort(), written, checks, afterStop: [scheduler.nextAt, clock.pending] }).toEqual({
      firstAt: T0 + CATCH_UP_DELAY_MS,
      beforeSlot: [],
      secondAt: T0 + CATCH_UP_DELAY_MS + HOUR,
      files: ['switchboard-20260110-000100.db', 'switchboard-20260110-010100.db'],
      written: [join(folder, 'switchboard-20260110-000100.db'), join(folder, 'switchboard-20260110-010100.db')],
      checks: [true, true],
      afterStop: [undefined, 0],
    });
  });

  it('waits one interval after the newest scheduled backup, and catches up soon after a longer gap', async () => {
    const now = T0 + 30 * DAY;
    const recent = scheduledBackupName(now - 2 * HOUR);
    const cases = [
      { every: 'daily', files: [recent] },
      { every: 'weekly', files: [scheduledBackupName(now - 3 * DAY), 'switchboard-20991231-000000-manual.db'] },
      { every: 'daily', files: [scheduledBackupName(now - 3 * DAY), scheduledBackupName(now - 4 * DAY)] },
      { every: 'hourly', files: [scheduledBackupName(now + 30 * DAY)] },
    ] as const;
    const due = cases.map(({ every, files }) => {
      const { scheduler } = schedule(backupFolder([...files]), every, manualClock(now));
      scheduler.start();
      return (scheduler.nextAt ?? 0) - now;
    });
    expect(due).toEqual([DAY - 2 * HOUR, 4 * DAY, CATCH_UP_DELAY_MS, HOUR]);
  });

  it('after each backup deletes only its own backups older than 30 days, keeping everything else in the folder', async () => {
    const now = T0 + 60 * DAY;
    const old = [scheduledBackupName(now - 40 * DAY), scheduledBackupName(now - 31 * DAY)];
    const kept = [scheduledBackupName(now - 29 * DAY), scheduledBackupName(now - 2 * DAY)];
    const foreign = [
      'notes.txt',
      'switchboard-20200101-000000-manual.db',
      'before-restore-20200101-000000.db',
      'switchboard-20200101-000000.db.bak',
      'Switchboard-20200101-000000.db',
      'switchboard-20200231-000000.db',
      'my-switchboard-20200101-000000.db',
    ];
    const folder = backupFolder([...old, ...kept, ...foreign]);
    const clock = manualClock(now);
    const { scheduler, written, runTo } = schedule(folder, 'daily', clock);
    scheduler.start();
    await runTo(now + CATCH_UP_DELAY_MS, 1);
    await scheduler.stop();
    expect(readdirSync(folder).sort()).toEqual([...kept, ...foreign, ...written.map((f) => f.split('/').at(-1) ?? '')].sort());
  });

  it('reports a failed backup, writes nothing, and tries again at the next slot', async () => {
    const folder = join(backupFolder(), 'nested');
    writeFileSync(folder, 'a file where the backup folder should be');
    const clock = manualClock(T0);
    const { scheduler, written, errors, runTo } = schedule(folder, 'hourly', clock);
    scheduler.start();
    await runTo(T0 + CATCH_UP_DELAY_MS, 1);
    const retryAt = scheduler.nextAt;
    rmSync(folder);
    await runTo(T0 + CATCH_UP_DELAY_MS + HOUR, 2);
    await scheduler.stop();
    expect({ errors, retryAt, written, files: readdirSync(folder) }).toEqual({
      errors: [`${join(folder, 'switchboard-20260110-000100.db')}: EEXIST`],
      retryAt: T0 + CATCH_UP_DELAY_MS + HOUR,
      written: [join(folder, 'switchboard-20260110-010100.db')],
      files: ['switchboard-20260110-010100.db'],
    });
  });

  it('when off, schedules nothing, yet a backup on demand is named and kept like a scheduled one', async () => {
    const folder = backupFolder();
    const clock = manualClock(T0);
    const { scheduler } = schedule(folder, 'off', clock);
    scheduler.start();
    const scheduled = { nextAt: scheduler.nextAt, timers: clock.pending };
    const file = await scheduler.runNow();
    expect({ scheduled, file, files: readdirSync(folder) }).toEqual({
      scheduled: { nextAt: undefined, timers: 0 },
      file: join(folder, 'switchboard-20260110-000000.db'),
      files: ['switchboard-20260110-000000.db'],
    });
  });
});
