/** One client's WebSocket: who it is, what it subscribed to, and a send that cuts off slow consumers. */
import type { WebSocket } from 'ws';
import { closeCodeFor, SwitchboardError, type ErrorCode } from '../../shared/protocol/index.js';
import type { Subscription } from './subscriptions.js';

export interface Identity {
  agent: string;
  admin: boolean;
  tokenId: string;
}

/** How long a connection that was asked to close may take before its socket is destroyed. */
const CLOSE_GRACE_MS = 2_000;

export class Connection {
  readonly id: string;
  readonly socket: WebSocket;
  readonly connectedAt: number;
  identity: Identity | undefined;
  lastActivity: number;
  /** Subscriptions by conversation id, or '*' for all. */
  readonly subscriptions = new Map<string, Subscription>();
  /** Closes a connection that did not authenticate in time; cleared by a successful hello. */
  helloTimer: NodeJS.Timeout | undefined;
  framesIn = 0;
  framesOut = 0;
  private closing = false;
  private readonly maxBufferedBytes: number;

  constructor(id: string, socket: WebSocket, now: number, maxBufferedBytes: number) {
    this.id = id;
    this.socket = socket;
    this.connectedAt = now;
    this.lastActivity = now;
    this.maxBufferedBytes = maxBufferedBytes;
  }

  get isOpen(): boolean {
    return !this.closing && this.socket.readyState === this.socket.OPEN;
  }

  /** Sends an already serialised frame; a client whose unread backlog passes the limit is cut off. */
  send(data: string): boolean {
    if (!this.isOpen) return false;
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.fail(
        new SwitchboardError(
          'SB_ERR_SLOW_CONSUMER',
          `more than ${this.maxBufferedBytes} bytes were waiting for this client to read; reconnect and resume from your last seq`,
        ),
      );
      return false;
    }
    this.framesOut++;
    this.socket.send(data);
    return true;
  }

  sendFrame(frame: object): boolean {
    return this.send(JSON.stringify(frame));
  }

  /** Tells the client why, then closes with the error's close code. */
  fail(error: SwitchboardError): void {
    if (this.closing) return;
    if (this.socket.readyState === this.socket.OPEN && error.code !== 'SB_ERR_SLOW_CONSUMER') {
      this.socket.send(JSON.stringify({ type: 'error', code: error.code, message: error.message }));
    }
    this.close(closeCodeFor(error.code) ?? 1008, `${error.code}: ${error.message}`);
  }

  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    // A close reason may hold at most 123 bytes.
    this.socket.close(code, truncateUtf8(reason, 123));
    setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS).unref();
  }

  failWith(code: ErrorCode, message: string): void {
    this.fail(new SwitchboardError(code, message));
  }
}

function truncateUtf8(text: string, maxBytes: number): string {
  let out = text;
  while (Buffer.byteLength(out) > maxBytes) out = out.slice(0, -1);
  return out;
}
