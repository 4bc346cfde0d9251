/** Backup file names: UTC timestamps that sort by time, and the one pattern the scheduler prunes. */
import { describe, expect, it } from 'vitest';
import { beforeRestoreName, manualBackupName, scheduledBackupName, scheduledBackupTime } from '../../electron/hub/backup/backup-file.js';

const TIME = Date.UTC(2026, 0, 31, 23, 59, 59, 999);

describe('backup names', () => {
  it('stamps names with the UTC time to the second', () => {
    expect([scheduledBackupName(TIME), manualBackupName(TIME), beforeRestoreName(TIME)]).toEqual([
      'switchboard-20260131-235959.db',
      'switchboard-20260131-235959-manual.db',
      'before-restore-20260131-235959.db',
    ]);
  });

  it('sorts names in time order', () => {
    const times = [Date.UTC(2025, 11, 31, 23, 0, 0), Date.UTC(2026, 0, 1, 9, 0, 0), Date.UTC(2026, 0, 1, 10, 0, 0), Date.UTC(2026, 9, 1)];
    const names = times.map(scheduledBackupName);
    expect([...names].reverse().sort()).toEqual(names);
  });

  it('reads the time back from a scheduled name only', () => {
    const names = [
      'switchboard-20260131-235959.db',
      'switchboard-20260131-235959-manual.db',
      'before-restore-20260131-235959.db',
      'switchboard-20260131-235959.db.tmp',
      '.switchboard-20260131-235959.db.123-1.tmp',
      'Switchboard-20260131-235959.db',
      'switchboard-20260231-000000.db',
      'switchboard-20260131-245959.db',
      'switchboard-2026013-235959.db',
    ];
    expect(names.map(scheduledBackupTime)).toEqual([
      Date.UTC(2026, 0, 31, 23, 59, 59),
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
