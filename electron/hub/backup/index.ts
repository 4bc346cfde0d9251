/**
 * Backups of the hub's database: export a consistent copy (from a running hub with `hub.backup(file)`,
 * or from the file with `backupDatabaseFile`), check a backup, restore one with the hub stopped, and
 * make them on a schedule with retention.
 */
export { checkBackupFile, type BackupInfo } from './backup-check.js';
export { backupDatabaseFile, type BackupResult } from './backup-export.js';
export { backupsFolder, manualBackupName, scheduledBackupName } from './backup-file.js';
export { restoreBackup, type RestoreResult } from './backup-restore.js';
export {
  CATCH_UP_DELAY_MS,
  createBackupScheduler,
  systemClock,
  type BackupEvery,
  type BackupScheduler,
  type BackupSchedulerOptions,
  type SchedulerClock,
} from './backup-scheduler.js';
