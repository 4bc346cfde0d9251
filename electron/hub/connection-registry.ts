/** All open connections: the connection limit, WebSocket pings, and closing connections gone silent. */
import type { WebSocket } from 'ws';
import { Connection } from './connection.js';
import type { HubConfig } from './config.js';

export type ConnectionRegistry = ReturnType<typeof createConnectionRegistry>;

export function createConnectionRegistry(config: HubConfig, now: () => number) {
  const open = new Map<string, Connection>();
  let nextId = 1;
  let accepted = 0;

  // One timer for every connection: ping the live ones, close those that answered nothing for too long.
  const sweeper = setInterval(() => {
    const time = now();
    for (const conn of open.values()) {
      if (time - conn.lastActivity > config.idleTimeoutMs) {
        conn.failWith('SB_ERR_IDLE', `nothing received for ${formatDuration(config.idleTimeoutMs)}`);
      } else if (conn.isOpen) {
        conn.socket.ping();
      }
    }
  }, config.heartbeatIntervalMs);
  sweeper.unref();

  return {
    isFull(): boolean {
      return open.size >= config.maxConnections;
    },
    add(socket: WebSocket): Connection {
      const conn = new Connection(`c_${nextId++}`, socket, now(), config.maxBufferedBytes);
      open.set(conn.id, conn);
      accepted++;
      return conn;
    },
    remove(conn: Connection): void {
      open.delete(conn.id);
    },
    all(): IterableIterator<Connection> {
      return open.values();
    },
    get size(): number {
      return open.size;
    },
    /** Connections that have authenticated. */
    authenticated(): number {
      let n = 0;
      for (const conn of open.values()) if (conn.identity !== undefined) n++;
      return n;
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
