/**
 * What a running hub does the moment SQLite reports its database damaged: it stops writing to the file
 * (no statement, no checkpoint) and raises a critical alert, which reaches watching dashboards, the
 * desktop app and the log even though the damaged database cannot store it.
 */
import type { AlertEngine } from '../alerts/alert-engine.js';
import type { DatabaseHealth } from './database-health.js';
import type { Checkpointer } from '../store/checkpointer.js';
import type { Db } from '../store/database.js';

/** Returns the removal of the response (before the hub closes). */
export function respondToDamage(deps: { health: DatabaseHealth; db: Db; checkpointer: Checkpointer; alerts: AlertEngine }): () => void {
  return deps.health.onChange((status) => {
    if (status.state !== 'damaged') return;
    // Every write statement on this connection now fails with SQLITE_READONLY, whoever runs it.
    if (!deps.db.readonly) deps.db.pragma('query_only = ON');
    // Not awaited: close() only waits for the checkpoint worker to end, and never rejects.
    void deps.checkpointer.close();
    deps.alerts.announceUnstored('database_damaged', deps.db.name, `The hub is read-only: ${status.reason}. ${status.advice ?? ''}`.trim());
  });
}
