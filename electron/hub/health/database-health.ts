/**
 * Can the hub write its database? `healthy`; `write-failing` (disk full, read-only folder: clears by
 * itself with the next commit that goes through); `damaged` (SQLite found the file corrupt: the hub
 * turns read-only and stays so until a backup is restored).
 */
import { SwitchboardError } from '../../../shared/index.js';
import type { Logger } from '../../common/logger.js';

export type DatabaseState = 'healthy' | 'write-failing' | 'damaged';

export interface DatabaseStatus {
  state: DatabaseState;
  /** What is wrong, for a person; undefined while healthy. */
  reason: string | undefined;
  /** How to get a sound database back (damaged only). */
  advice: string | undefined;
}

/** SQLite's own word that the file is not a sound database. */
const DAMAGE = /^SQLITE_(CORRUPT|NOTADB)/;
/** Writes that fail for reasons outside the hub: a full disk, a file or folder made read-only, an I/O error. */
const WRITE_FAILURE = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|PERM)/;

/** The SQLite result code of a better-sqlite3 error (`SQLITE_CORRUPT`, `SQLITE_FULL`, …), if it is one. */
export function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

export function isDamage(error: unknown): boolean {
  return DAMAGE.test(sqliteCode(error) ?? '');
}

export type DatabaseHealth = ReturnType<typeof createDatabaseHealth>;

/** @param advice how to restore the newest good backup, worked out when the damage is found. */
export function createDatabaseHealth(deps: { advice: () => string; logger: Logger }) {
  let status: DatabaseStatus = { state: 'healthy', reason: undefined, advice: undefined };
  const listeners = new Set<(status: DatabaseStatus) => void>();

  const change = (next: DatabaseStatus): void => {
    status = next;
    for (const listener of listeners) {
      try {
        listener(status);
      } catch (error) {
        deps.logger.error('a database health listener threw', { error: String(error) });
      }
    }
  };

  const refusal = (): SwitchboardError =>
    new SwitchboardError('SB_ERR_READ_ONLY', `the hub is read-only: ${status.reason ?? 'its database is damaged'}. ${status.advice ?? ''}`.trim());

  const damaged = (reason: string): void => {
    if (status.state === 'damaged') return;
    deps.logger.error('the database is damaged; the hub is read-only until a backup is restored', { reason });
    change({ state: 'damaged', reason, advice: deps.advice() });
  };

  return {
    status: (): DatabaseStatus => status,
    /** True once the database was found damaged: nothing is written to it any more. */
    get readOnly(): boolean {
      return status.state === 'damaged';
    },
    damaged,
    /** SB_ERR_READ_ONLY with the reason and the restore advice: the answer to every write while damaged. */
    refusal,
    /** Why no backup may be made now: a damaged copy would pass for the newest good backup. */
    backupRefusal(): SwitchboardError | undefined {
      if (status.state !== 'damaged') return undefined;
      return new SwitchboardError(
        'SB_ERR_READ_ONLY',
        `the database is damaged, so no backup is made of it (a damaged copy would pass for the newest good backup). ${status.advice ?? ''}`.trim(),
      );
    },
    /**
     * A statement failed: damage turns the hub read-only, a write the disk refused marks writes failing.
     * Returns the error to report: SB_ERR_READ_ONLY or SB_ERR_STORAGE for these, else `error` itself.
     */
    failed(error: unknown): unknown {
      const code = sqliteCode(error);
      if (code === undefined) return error;
      if (DAMAGE.test(code)) damaged(`SQLite reported the database file damaged (${(error as Error).message})`);
      if (status.state === 'damaged') return refusal();
      if (!WRITE_FAILURE.test(code)) return error;
      const reason = `writes to the database are failing (${(error as Error).message})`;
      if (status.reason !== reason) {
        deps.logger.warn('database writes are failing; nothing failed was acknowledged', { error: String(error) });
        change({ state: 'write-failing', reason, advice: undefined });
      }
      return new SwitchboardError('SB_ERR_STORAGE', `the database could not store this: ${(error as Error).message}; nothing was acknowledged`);
    },
    /** A commit went through: writes that were failing work again. */
    succeeded(): void {
      if (status.state !== 'write-failing') return;
      deps.logger.info('database writes work again');
      change({ state: 'healthy', reason: undefined, advice: undefined });
    },
    onChange(listener: (status: DatabaseStatus) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
