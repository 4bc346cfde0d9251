/**
 * The process behind each connection, looked up once when the connection is admitted, off the hot path:
 * one lookup at a time, in the background, its answer kept until the connection closes.
 */
import type { ConnectionProcess } from '../../../shared/index.js';
import type { Logger } from '../../common/logger.js';
import type { Connection } from '../ws/connection.js';
import type { TcpEndpoints } from './endpoints.js';

export type PeerProcesses = ReturnType<typeof createPeerProcesses>;

/** Finds the local process holding the client end of a TCP connection. */
export type ProcessLookup = (ends: TcpEndpoints) => Promise<ConnectionProcess>;

const LOOKING: ConnectionProcess = { unknown: true, reason: 'still looking' };

export function createPeerProcesses(deps: { lookup: ProcessLookup; logger: Logger }) {
  const found = new Map<Connection, ConnectionProcess>();
  /** The lookups run one after another: many agents connecting at once cost one scan at a time. */
  let queue: Promise<void> = Promise.resolve();

  const lookUp = async (conn: Connection, ends: TcpEndpoints): Promise<void> => {
    // A connection that closed while waiting its turn is not looked up.
    if (!found.has(conn)) return;
    const answer = await deps.lookup(ends).catch((error: unknown): ConnectionProcess => {
      deps.logger.debug('process lookup failed', { client: conn.id, error: String(error) });
      return { unknown: true, reason: 'the lookup failed' };
    });
    if (found.has(conn)) found.set(conn, answer);
  };

  return {
    /** Starts looking up the process behind a connection just admitted. */
    track(conn: Connection): void {
      const ends = conn.endpoints;
      if (ends === undefined) {
        found.set(conn, { unknown: true, reason: 'not a TCP connection' });
        return;
      }
      found.set(conn, LOOKING);
      queue = queue.then(() => lookUp(conn, ends));
    },
    /** Looks up the process at the other end of a socket, in the same one-at-a-time queue (the approval prompt). */
    find(ends: TcpEndpoints | undefined): Promise<ConnectionProcess> {
      if (ends === undefined) return Promise.resolve({ unknown: true, reason: 'not a TCP connection' });
      const answer = queue.then(() =>
        deps.lookup(ends).catch((error: unknown): ConnectionProcess => {
          deps.logger.debug('process lookup failed', { error: String(error) });
          return { unknown: true, reason: 'the lookup failed' };
        }),
      );
      queue = answer.then(() => undefined);
      return answer;
    },
    forget(conn: Connection): void {
      found.delete(conn);
    },
    of(conn: Connection): ConnectionProcess {
      return found.get(conn) ?? LOOKING;
    },
    /** Resolves once the lookups begun so far are done (the hub waits for them when it stops). */
    settled(): Promise<void> {
      return queue;
    },
  };
}
