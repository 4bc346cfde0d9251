/**
 * The process behind each connection, looked up once when the connection is admitted, off the hot path, and
 * kept until the connection closes. Lookups run in batches, one batch at a time: the connections admitted
 * while a batch runs are looked up together in the next, so a storm of connections costs a few scans of
 * the system's tables instead of one per connection.
 */
import type { ConnectionProcess } from '../../../shared/index.js';
import type { Logger } from '../../common/logger.js';
import type { Connection } from '../ws/connection.js';
import type { TcpEndpoints } from './endpoints.js';

export type PeerProcesses = ReturnType<typeof createPeerProcesses>;

/** Finds the local processes holding the client ends of TCP connections: one answer per connection, in order. */
export type ProcessLookup = (ends: readonly TcpEndpoints[]) => Promise<ConnectionProcess[]>;

const LOOKING: ConnectionProcess = { unknown: true, reason: 'still looking' };
const FAILED: ConnectionProcess = { unknown: true, reason: 'the lookup failed' };
const NOT_TCP: ConnectionProcess = { unknown: true, reason: 'not a TCP connection' };
/** Most connections one batch looks up: bounds a batch's memory and how long the next one waits. */
const MAX_BATCH = 2000;
/**
 * A batch starts at least this long after the one before. Each batch reads every open file of the
 * processes it passes (on Linux); during a storm of connections, fewer and larger batches do that work once
 * for many connections instead of over and over.
 */
const BATCH_GAP_MS = 500;

interface Wanted {
  ends: TcpEndpoints;
  /** False once the answer is no longer needed (its connection closed while waiting its turn). */
  wanted(): boolean;
  answer(found: ConnectionProcess): void;
}

export function createPeerProcesses(deps: { lookup: ProcessLookup; logger: Logger }) {
  const found = new Map<Connection, ConnectionProcess>();
  const waiting: Wanted[] = [];
  let running: Promise<void> | undefined;

  const nextBatch = (): Wanted[] => {
    const batch: Wanted[] = [];
    while (batch.length < MAX_BATCH && waiting.length > 0) {
      const next = waiting.shift();
      if (next?.wanted() === true) batch.push(next);
    }
    return batch;
  };

  const drain = async (): Promise<void> => {
    for (let batch = nextBatch(); batch.length > 0; batch = nextBatch()) {
      const started = Date.now();
      const answers = await deps.lookup(batch.map((item) => item.ends)).catch((error: unknown) => {
        deps.logger.debug('process lookup failed', { connections: batch.length, error: String(error) });
        return [];
      });
      batch.forEach((item, i) => item.answer(answers[i] ?? FAILED));
      const gap = started + BATCH_GAP_MS - Date.now();
      if (gap > 0 && waiting.length > 0) await new Promise((resolve) => setTimeout(resolve, gap).unref());
    }
    // Set in the same turn as the last empty batch, so an item queued from now on starts a new drain.
    running = undefined;
  };

  const enqueue = (item: Wanted): void => {
    waiting.push(item);
    // Started on a later turn: what else is admitted in this one joins the same batch.
    running ??= Promise.resolve().then(drain);
  };

  return {
    /** Starts looking up the process behind a connection just admitted. */
    track(conn: Connection): void {
      const ends = conn.endpoints;
      if (ends === undefined) {
        found.set(conn, NOT_TCP);
        return;
      }
      found.set(conn, LOOKING);
      enqueue({
        ends,
        wanted: () => found.has(conn),
        answer: (answer) => {
          if (found.has(conn)) found.set(conn, answer);
        },
      });
    },
    /** Looks up the process at the other end of a socket, in the same batches (the approval prompt). */
    find(ends: TcpEndpoints | undefined): Promise<ConnectionProcess> {
      if (ends === undefined) return Promise.resolve(NOT_TCP);
      return new Promise((resolve) => enqueue({ ends, wanted: () => true, answer: resolve }));
    },
    forget(conn: Connection): void {
      found.delete(conn);
    },
    of(conn: Connection): ConnectionProcess {
      return found.get(conn) ?? LOOKING;
    },
    /** Resolves once the lookups begun so far are done (the hub waits for them when it stops). */
    settled(): Promise<void> {
      return running ?? Promise.resolve();
    },
  };
}
