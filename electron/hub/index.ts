/**
 * The hub's front door: everything its hosts (the CLI, the desktop shell, scripts) may use. Hosts import the
 * hub only from here — lint enforces it — so what is behind it can move without touching them.
 */
export { createHub, type Hub, type HubOptions, type StartedHub } from './hub.js';
export { resolveConfig, type HubConfig, type HubSettings } from './config.js';
export { ConfigError } from '../common/config-error.js';
export { HubStartError } from '../common/start-error.js';
export { startFailureMessage } from './startup/start-failure.js';
export { exposureWarning } from './startup/network-exposure.js';
export type { DatabaseStatus } from './health/database-health.js';
export { backupDatabaseFile, backupsFolder, checkBackupFile, manualBackupName, restoreBackup } from './backup/index.js';
export { SCHEMA_VERSION } from './store/migrations.js';
export type { HubServices } from './services.js';
export { DEFAULT_ADMIN_AGENT, SESSION_COOKIE } from './auth/auth.js';
export { revokeToken } from './auth/token-revocation.js';
/** For tools that build or inspect a database offline (scripts/quick-check-cost.ts). */
export { closeDatabase, openDatabase } from './store/database.js';
export { createMessageStore } from './store/message-store.js';
export { pendingIndexer } from './store/search-index.js';
export { findDamage } from './store/start-check.js';
export { SELFTEST_KILLS, defaultSwitchboardCommand, runSelftest, selftestPassed, type SwitchboardCommand } from './selftest/durability-run.js';
