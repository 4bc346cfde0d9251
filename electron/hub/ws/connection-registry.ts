/**
 * All open connections: the limit on authenticated ones, the separate cap on those still waiting to say
 * hello, WebSocket pings, and closing connections that went silent or stopped answering pings.
 */
import type { WebSocket } from 'ws';
import { Connection, type Identity } from './connection.js';
import type { HubConfig } from '../config.js';

/**
 * Connections that have not authenticated yet, at most: they do not count toward maxConnections, so
 * sockets opened and held without a token can never keep an agent out.
 */
export const MAX_PENDING_CONNECTIONS = 64;

/** Pings in a row a connection may leave unanswered; at the next sweep it is closed. */
const MAX_UNANSWERED_PINGS = 2;

export type ConnectionRegistry = ReturnType<typeof createConnectionRegistry>;

export function createConnectionRegistry(config: HubConfig, now: () => number) {
  const open = new Map<string, Connection>();
  /** Open connections without an identity yet, oldest first. */
  const pending = new Map<string, Connection>();
  let authenticated = 0;
  let nextId = 1;
  let accepted = 0;

  // One timer for every connection: ping the live ones, close those that answered nothing for too long.
  const sweeper = setInterval(() => {
    const time = now();
    for (const conn of open.values()) {
      if (time - conn.lastActivity > config.idleTimeoutMs) {
        conn.failWith('SB_ERR_IDLE', `nothing received for ${formatDuration(config.idleTimeoutMs)}`);
      } else if (conn.unansweredPings >= MAX_UNANSWERED_PINGS) {
        conn.failWith(
          'SB_ERR_HEARTBEAT_TIMEOUT',
          `${MAX_UNANSWERED_PINGS} pings in a row went unanswered (the hub pings every ${formatDuration(config.heartbeatIntervalMs)})`,
        );
      } else if (conn.isOpen) {
        conn.socket.ping();
        conn.unansweredPings++;
      }
    }
  }, config.heartbeatIntervalMs);
  sweeper.unref();

  /** Closes the oldest connections still waiting for hello until a new one fits under the cap. */
  const makeRoomForPending = (): void => {
    for (const conn of pending.values()) {
      if (pending.size < MAX_PENDING_CONNECTIONS) return;
      pending.delete(conn.id);
      conn.failWith('SB_ERR_TOO_MANY_CONNECTIONS', `${MAX_PENDING_CONNECTIONS} connections were waiting to say hello; the oldest was closed to make room`);
    }
  };

  return {
    /**
     * Registers a new socket; one that is to say hello is counted as waiting for it, and the oldest waiting
     * connection is closed when the cap is reached.
     */
    add(socket: WebSocket, peer: string, waitsForHello: boolean): Connection {
      if (waitsForHello) makeRoomForPending();
      const conn = new Connection(`c_${nextId++}`, socket, now(), config.maxBufferedBytes, peer);
      open.set(conn.id, conn);
      if (waitsForHello) pending.set(conn.id, conn);
      accepted++;
      return conn;
    },
    /** Gives the connection its identity; false, and nothing changed, when maxConnections agents are already in. */
    authenticate(conn: Connection, identity: Identity): boolean {
      if (conn.identity === undefined && authenticated >= config.maxConnections) return false;
      if (conn.identity === undefined) authenticated++;
      conn.identity = identity;
      pending.delete(conn.id);
      return true;
    },
    /** A connection waiting for approval after its hello: no longer waiting to say hello, so not closed to make room for others. */
    hold(conn: Connection): void {
      pending.delete(conn.id);
    },
    remove(conn: Connection): void {
      if (!open.delete(conn.id)) return;
      if (!pending.delete(conn.id) && conn.identity !== undefined) authenticated--;
    },
    all(): IterableIterator<Connection> {
      return open.values();
    },
    get size(): number {
      return open.size;
    },
    /** Connections that have authenticated. */
    authenticated(): number {
      return authenticated;
    },
    /** Connections waiting to say hello. */
    pending(): number {
      return pending.size;
    },
    get accepted(): number {
      return accepted;
    },
    close(): void {
      clearInterval(sweeper);
    },
  };
}

/** Whole seconds when the duration is a whole number of seconds, else milliseconds (never rounded to a wrong figure). */
function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
