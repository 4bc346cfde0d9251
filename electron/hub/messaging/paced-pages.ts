/**
 * Sending stored messages to one connection a page at a time, at the pace its client reads: replay for a
 * new subscription and the offline queue's drain both go this way. A full page lets the event loop turn
 * before the next one, so other connections are served in between; while more than PAUSE_ABOVE_BYTES wait
 * unread for the client, the next page waits. `done` runs in the same synchronous step as the last (short)
 * page, so nothing arriving live can fall between the last page and what `done` turns on.
 */
import { MAX_PAGE } from '../../../shared/protocol/index.js';
import type { Connection } from '../ws/connection.js';

/** Wait before the next page while this much is still unread by the client. */
const PAUSE_ABOVE_BYTES = 1024 * 1024;
const PAUSE_MS = 5;

export interface Pages {
  /** Sends the next page of at most `limit` messages; returns how many it read (a full page may have more behind it). */
  next(limit: number): number;
  /** Runs once the last page went out. */
  done(): void;
  /** Whether to go on, asked before each page; the connection being open is checked too. */
  wanted?: () => boolean;
}

/** Sends the first page at once and the rest paced; stops quietly when the connection closes or `wanted` says no. */
export function sendPaced(conn: Connection, pages: Pages): void {
  const page = (): void => {
    if (!conn.isOpen || pages.wanted?.() === false) return;
    if (conn.socket.bufferedAmount > PAUSE_ABOVE_BYTES) {
      setTimeout(page, PAUSE_MS);
      return;
    }
    if (pages.next(MAX_PAGE) === MAX_PAGE) {
      setImmediate(page);
      return;
    }
    pages.done();
  };
  page();
}
