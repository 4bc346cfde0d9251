/** One client's WebSocket: who it is, what it subscribed to, and a send that cuts off slow consumers. */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { closeCodeFor, SwitchboardError, type HubErrorCode } from '../../../shared/protocol/index.js';
import type { GapRecord } from '../store/inbox-store.js';
import type { Subscription } from '../messaging/subscription.js';
import type { TcpEndpoints } from '../peer-process/endpoints.js';

/** How a client proved who it is: a token (header or `hello`), or a browser session's cookie. */
export type CredentialSource = 'token' | 'cookie';

export interface Identity {
  agent: string;
  admin: boolean;
  tokenId: string;
  via: CredentialSource;
}

/** How long a connection that was asked to close may take before its socket is destroyed. */
const CLOSE_GRACE_MS = 2_000;

/** A corked socket holding this much is written out at once rather than at the end of the tick. */
const CORK_FLUSH_BYTES = 64 * 1024;

/** Frames go out as text frames, also when given as bytes; one options object for every send. */
const TEXT = { binary: false } as const;

/** Connections whose TCP socket is corked until the end of the current tick. */
const corked: Connection[] = [];

function uncorkAll(): void {
  for (const conn of corked) conn.uncork();
  corked.length = 0;
}

export class Connection {
  readonly id: string;
  readonly socket: WebSocket;
  readonly connectedAt: number;
  /** The address the socket came from. */
  readonly peer: string;
  /** Both ends of the TCP socket, when it is one: how the process behind the connection is found. */
  endpoints: TcpEndpoints | undefined;
  identity: Identity | undefined;
  lastActivity: number;
  /** Subscriptions by conversation id, or '*' for all. */
  readonly subscriptions = new Map<string, Subscription>();
  /** Closes a connection that did not authenticate in time; cleared by a successful hello. */
  helloTimer: NodeJS.Timeout | undefined;
  /** Frames refused as malformed since the last one that reached its handler (see MAX_MALFORMED_IN_ROW). */
  malformedInRow = 0;
  /** Pings sent since the last pong. */
  unansweredPings = 0;
  framesIn = 0;
  framesOut = 0;
  /** True once this connection received its agent's offline queue; direct messages then reach it live. */
  inboxLive = false;
  /** A tool's connection (hello `observer`): it reads and subscribes, but never comes online as an agent. */
  observer = false;
  /** The drop receipt (`gap`) last sent on this connection, cleared by an `inbox_ack` while still current. */
  gapSent: GapRecord | undefined;
  /** The agent name this connection waits to be allowed as (approveNewAgents); its frames are refused until then. */
  awaitingApproval: string | undefined;
  private closing = false;
  private readonly maxBufferedBytes: number;
  /** The TCP socket under `socket`, when known: sends are corked on it and written once per tick. */
  private transport: Duplex | undefined;
  private isCorked = false;

  constructor(id: string, socket: WebSocket, now: number, maxBufferedBytes: number, peer: string) {
    this.id = id;
    this.peer = peer;
    this.socket = socket;
    this.connectedAt = now;
    this.lastActivity = now;
    this.maxBufferedBytes = maxBufferedBytes;
  }

  get isOpen(): boolean {
    return !this.closing && this.socket.readyState === this.socket.OPEN;
  }

  /**
   * Sends an already serialised frame (a string, or its UTF-8 bytes when one frame goes to many); a client
   * whose unread backlog passes the limit is cut off.
   */
  send(data: string | Buffer): boolean {
    if (!this.isOpen) return false;
    // Frames corked in this tick are not a backlog yet: hand them to the kernel before judging the client.
    if (this.socket.bufferedAmount > this.maxBufferedBytes) this.flushCorked();
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
    const transport = this.transport;
    if (transport === undefined) {
      this.socket.send(data, TEXT);
      return true;
    }
    // One turn often sends many frames to one socket (a batch's acks, a fan-out): corked, they leave in
    // one write at the end of the tick instead of one write (a syscall and a TCP segment) each.
    if (!this.isCorked) {
      this.isCorked = true;
      transport.cork();
      if (corked.push(this) === 1) process.nextTick(uncorkAll);
    }
    this.socket.send(data, TEXT);
    if (transport.writableLength > CORK_FLUSH_BYTES) this.flushCorked();
    return true;
  }

  /** Writes out what is corked now; the socket stays corked for the rest of the tick. */
  private flushCorked(): void {
    if (!this.isCorked || this.transport === undefined) return;
    this.transport.uncork();
    this.transport.cork();
  }

  /** Lets sends be batched per tick on the TCP socket the WebSocket runs over. */
  batchWritesOn(transport: Duplex): void {
    this.transport = transport;
  }

  /** Writes out what this tick's sends corked (called once per tick for every corked connection). */
  uncork(): void {
    if (!this.isCorked) return;
    this.isCorked = false;
    this.transport?.uncork();
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
    if (this.socket.readyState === this.socket.CLOSED) return;
    // Ended with the socket, so a hub that stopped leaves no timer running.
    const terminate = setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS).unref();
    this.socket.once('close', () => clearTimeout(terminate));
  }

  failWith(code: HubErrorCode, message: string): void {
    this.fail(new SwitchboardError(code, message));
  }
}

function truncateUtf8(text: string, maxBytes: number): string {
  let out = text;
  while (Buffer.byteLength(out) > maxBytes) out = out.slice(0, -1);
  return out;
}
