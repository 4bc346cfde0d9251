/**
 * The Switchboard client core, shared by the Node SDK and the GUI: connects with a token (or a browser
 * session the hub recognises on the upgrade), reconnects with backoff and jitter, resumes subscriptions
 * from the last seq it delivered (every message once, in order), sends through an outbox with
 * idempotent resend, and reports its status as typed events.
 */
import type { BatchResult, StoredMessage } from '../index.js';
import { DEFAULT_RECONNECT, reconnectDelay, type ReconnectPolicy } from './backoff.js';
import { Emitter } from './emitter.js';
import { CLIENT_CLOSED, DISCONNECTED, HubError } from './errors.js';
import type { ErrorCode } from '../protocol/errors.js';
import { memoryOutboxStore, Outbox, type OutboxStore } from './outbox.js';
import { SendBatcher, type BatchLimits } from './send-batcher.js';
import type { Transport, TransportFactory } from './transport.js';

/** How many recent message seqs the client remembers to drop duplicates. */
const SEEN_LIMIT = 10_000;

export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected' | 'reconnecting' | 'closed';

export type Frame = Record<string, unknown> & { type: string };

export interface GapReceipt {
  dropped: number;
  from_seq: number;
  to_seq: number;
  reason: string;
}

export type ClientEvents = {
  status: [status: ConnectionStatus];
  /** Every stored message that reaches this client (subscriptions, direct messages, the offline queue). */
  message: [message: StoredMessage];
  /** The hub dropped queued direct messages while this agent was away. */
  gap: [gap: GapReceipt];
  /** The outbox was full: this many of the oldest unsent messages were dropped. */
  dropped: [count: number];
  /**
   * The hub keeps this connection waiting until the person at the machine allows the agent name
   * (approveNewAgents): `welcome` follows once allowed, or the refusal (SB_ERR_DENIED, SB_ERR_APPROVAL_TIMEOUT).
   */
  waiting: [waiting: ApprovalWaiting];
  /** The hub refused the connection for good (a wrong or revoked token, a denied name, no approval in time): the client stops. */
  refused: [error: HubError];
  /** Any frame from the hub, for what the core does not handle itself (tasks, presence, streams). */
  frame: [frame: Frame];
};

/** What an `approval_pending` frame says. */
export interface ApprovalWaiting {
  agent: string;
  timeout_ms: number;
  message: string;
}

/**
 * Close codes after which trying again would only be refused again: the client closes instead of
 * reconnecting, and reports the code's error.
 */
const FINAL_CLOSES: Readonly<Record<number, ErrorCode>> = { 4001: 'SB_ERR_AUTH', 4003: 'SB_ERR_DENIED', 4008: 'SB_ERR_APPROVAL_TIMEOUT' };

export interface ClientOptions {
  /** WebSocket URL of the hub, e.g. ws://127.0.0.1:8765/ws. */
  url: string;
  /**
   * The token, sent in `hello` on every connect. Leave it out in a browser page served by the hub: the
   * browser sends its session cookie with the upgrade, the hub greets with `welcome` unasked, and the
   * client sends no `hello` (a hub that did not authenticate the upgrade closes with 4001 after its
   * hello timeout). `agent` and `profile` travel in `hello`, so without a token they are not sent.
   */
  token?: string;
  /** The agent name to act as (admin tokens); an agent token's own name otherwise. */
  agent?: string;
  profile?: { display_name?: string; kind?: string; capabilities?: string[] };
  transport: TransportFactory;
  /** Where unacknowledged sends are kept (default: memory). */
  outbox?: OutboxStore;
  /** Outbox capacity (default 1000). */
  outboxCapacity?: number;
  reconnect?: ReconnectPolicy;
  /** Numbers in [0, 1) for jitter (default Math.random). */
  random?: () => number;
}

export interface SendOptions {
  type?: string;
  payload?: unknown;
  /** Given for an idempotent resend across restarts; generated otherwise. */
  clientMsgId?: string;
  /** The seq of the message this one answers: the hub counts hops along such chains (the loop breaker). */
  inReplyTo?: number;
  /** The task this message is about: it shows in that task's lineage. */
  taskId?: string;
}

interface Pending {
  resolve: (frame: Frame) => void;
  reject: (error: Error) => void;
}

interface Subscription {
  conversations: string[] | '*';
  handler: (message: StoredMessage) => void;
  /** The last seq delivered to the handler; resuming asks the hub for what came after. */
  cursor: number | undefined;
}

export class SwitchboardClient extends Emitter<ClientEvents> {
  private readonly options: ClientOptions;
  private readonly outbox: Outbox;
  private transport: Transport | undefined;
  private statusValue: ConnectionStatus = 'connecting';
  private readonly pending = new Map<string, Pending>();
  private readonly sends = new Map<string, Pending>();
  private readonly subscriptions = new Set<Subscription>();
  private nextId = 1;
  private attempt = 0;
  private closed = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private welcome: Frame | undefined;
  private firstConnect: { resolve: () => void; reject: (error: Error) => void } | undefined;
  /** The error frame that answered this connection's hello, if one did: the reason for the close that follows. */
  private refusal: HubError | undefined;
  private readonly seen = new Set<number>();
  private inboxAckUpTo: number | undefined;
  /**
   * Frames that came with or right after the first `welcome` (the offline queue, its drop receipt, task
   * offers), held until the next macrotask so code right after `await start()` can attach listeners first.
   */
  private held: string[] | undefined;
  private opened = false;
  private readonly batcher = new SendBatcher(
    (text) => {
      if (this.transport === undefined || this.statusValue !== 'connected') return false;
      this.transport.send(text);
      return true;
    },
    () => this.batchLimits(),
  );

  constructor(options: ClientOptions) {
    super();
    this.options = options;
    this.outbox = new Outbox(options.outbox ?? memoryOutboxStore(), options.outboxCapacity ?? 1000);
  }

  /** Groups this client's interactions in metrics (one session per client). */
  readonly sessionId: string = globalThis.crypto.randomUUID();

  private readonly newClientMsgId = clientMsgIds();

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  /** The agent name the hub knows this client by (after the first connection). */
  get agent(): string | undefined {
    return (this.welcome?.['agent'] as { id: string } | undefined)?.id;
  }

  /** Connects; resolves at the first `welcome`, rejects if the hub refuses the token. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.firstConnect = { resolve, reject };
      this.open();
    });
  }

  /** Sends a request frame and resolves with the hub's reply (rejects with HubError on an error frame). */
  request(frame: Record<string, unknown> & { type: string }): Promise<Frame> {
    if (this.closed) return Promise.reject(new HubError(CLIENT_CLOSED, 'the client is closed'));
    if (this.statusValue !== 'connected') return Promise.reject(new HubError(DISCONNECTED, 'not connected to the hub'));
    const id = `q${this.nextId++}`;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.transmit({ ...frame, id });
    });
  }

  /** Stores a message; resolves with it once the hub committed it, even across reconnects and (with a file outbox) restarts. */
  send(conversationId: string, content: string, options: SendOptions = {}): Promise<StoredMessage> {
    return this.enqueue({ conversation_id: conversationId }, content, options);
  }

  /** Sends a direct message to another agent. */
  sendDirect(agent: string, content: string, options: SendOptions = {}): Promise<StoredMessage> {
    return this.enqueue({ to: agent }, content, options);
  }

  /**
   * Delivers every message of the conversations (or `'*'`) to `handler`, once and in order: stored ones
   * after `since` first, then live ones, resuming after reconnects from the last one delivered.
   */
  subscribe(conversations: string[] | '*', handler: (message: StoredMessage) => void, options: { since?: number } = {}): { close(): void } {
    const subscription: Subscription = { conversations, handler, cursor: options.since };
    this.subscriptions.add(subscription);
    if (this.statusValue === 'connected') void this.resubscribe(subscription);
    return {
      close: () => {
        this.subscriptions.delete(subscription);
        if (this.statusValue === 'connected') this.unsubscribeUnneeded(conversations);
      },
    };
  }

  /** Tells the hub to stop sending what no remaining subscription on this connection still wants. */
  private unsubscribeUnneeded(conversations: string[] | '*'): void {
    const remaining = [...this.subscriptions];
    if (remaining.some((s) => s.conversations === '*')) return;
    if (conversations === '*') {
      // The hub's unsubscribe '*' ends every subscription of the connection: take back the ones still wanted.
      this.transmit({ type: 'unsubscribe', conversations: '*' });
      for (const other of remaining) void this.resubscribe(other);
      return;
    }
    const wanted = new Set(remaining.flatMap((s) => s.conversations));
    const unneeded = conversations.filter((id) => !wanted.has(id));
    if (unneeded.length > 0) this.transmit({ type: 'unsubscribe', conversations: unneeded });
  }

  /** Closes for good: no reconnect; pending requests are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.transport?.close(1000, 'client closed');
    this.transport = undefined;
    this.failPending(new HubError(CLIENT_CLOSED, 'the client is closed'));
    for (const send of this.sends.values())
      send.reject(new HubError(CLIENT_CLOSED, 'the client closed before the hub acknowledged; the message stays in the outbox'));
    this.sends.clear();
    this.setStatus('closed');
  }

  /** Unacknowledged sends waiting in the outbox. */
  get outboxSize(): number {
    return this.outbox.size;
  }

  private enqueue(address: Record<string, string>, content: string, options: SendOptions): Promise<StoredMessage> {
    if (this.closed) return Promise.reject(new HubError(CLIENT_CLOSED, 'the client is closed'));
    const clientMsgId = options.clientMsgId ?? this.newClientMsgId();
    const frame: Record<string, unknown> = { type: 'send_message', ...address, content, client_msg_id: clientMsgId };
    if (options.type !== undefined) frame['message_type'] = options.type;
    if (options.payload !== undefined) frame['payload'] = options.payload;
    if (options.inReplyTo !== undefined) frame['in_reply_to'] = options.inReplyTo;
    if (options.taskId !== undefined) frame['task_id'] = options.taskId;
    return new Promise((resolve, reject) => {
      this.sends.set(clientMsgId, { resolve: (ack) => resolve(ack['message'] as StoredMessage), reject });
      const dropped = this.outbox.has(clientMsgId) ? [] : this.outbox.add({ client_msg_id: clientMsgId, frame });
      if (dropped.length > 0) {
        for (const entry of dropped) this.sends.get(entry.client_msg_id)?.reject(new HubError('SB_ERR_OUTBOX_FULL', 'dropped from a full outbox'));
        for (const entry of dropped) this.sends.delete(entry.client_msg_id);
        this.emit('dropped', dropped.length);
      }
      if (this.statusValue === 'connected') this.batcher.add({ client_msg_id: clientMsgId, frame });
    });
  }

  private open(): void {
    if (!this.opened) {
      // The status starts as 'connecting', so the first one would not count as a change: say it anyway.
      this.opened = true;
      this.emit('status', 'connecting');
    }
    this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting');
    this.transport = this.options.transport(this.options.url, {
      open: () => {
        if (this.options.token === undefined) return;
        const hello: Record<string, unknown> = { type: 'hello', id: 'hello', token: this.options.token, ...this.options.profile };
        if (this.options.agent !== undefined) hello['agent'] = this.options.agent;
        this.transport?.send(JSON.stringify(hello));
      },
      message: (data) => this.receive(data),
      close: (code, reason) => this.lost(code, reason),
    });
  }

  private receive(data: string): void {
    if (this.held !== undefined) {
      this.held.push(data);
      return;
    }
    let frame: Frame;
    try {
      frame = JSON.parse(data) as Frame;
    } catch {
      return;
    }
    const re = frame['re'];
    if (frame.type === 'welcome') {
      this.connected(frame);
      return;
    }
    if (frame.type === 'error' && re === 'hello') {
      this.refusal = HubError.fromFrame(frame);
      this.firstConnect?.reject(this.refusal);
      this.firstConnect = undefined;
      return;
    }
    if (frame.type === 'approval_pending') {
      this.emit('waiting', { agent: String(frame['agent']), timeout_ms: Number(frame['timeout_ms']), message: String(frame['message']) });
    }
    if (typeof re === 'string' && re.startsWith('s:')) {
      this.settleSend(re.slice(2), frame);
      return;
    }
    if (typeof re === 'string' && re.startsWith('b:')) {
      this.settleBatch(re, frame);
      return;
    }
    if (typeof re === 'string' && this.pending.has(re)) {
      const pending = this.pending.get(re) as Pending;
      this.pending.delete(re);
      if (frame.type === 'error') pending.reject(HubError.fromFrame(frame));
      else pending.resolve(frame);
      return;
    }
    // A live stream ends with `stream_end` carrying the stored message: it is that message's delivery.
    if (frame.type === 'new_message' || (frame.type === 'stream_end' && typeof frame['seq'] === 'number')) {
      this.deliver(frame as unknown as StoredMessage & { queued?: boolean });
    } else if (frame.type === 'gap')
      this.emit('gap', { dropped: frame['dropped'], from_seq: frame['from_seq'], to_seq: frame['to_seq'], reason: frame['reason'] } as GapReceipt);
    this.emit('frame', frame);
  }

  private connected(welcome: Frame): void {
    this.welcome = welcome;
    this.attempt = 0;
    this.setStatus('connected');
    if (this.firstConnect !== undefined) {
      this.held = [];
      setTimeout(() => this.release(), 0);
    }
    this.firstConnect?.resolve();
    this.firstConnect = undefined;
    for (const subscription of this.subscriptions) void this.resubscribe(subscription);
    // Sends made while away, and sends whose ack was lost, go again in order with their client_msg_id.
    for (const entry of this.outbox.pending()) this.batcher.add(entry);
  }

  /** Handles the frames held after the first welcome. */
  private release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const data of held) this.receive(data);
  }

  /** Never rejects, so callers need not wait for it: a failure leaves the subscription to the next connect. */
  private async resubscribe(subscription: Subscription): Promise<void> {
    const frame: Record<string, unknown> & { type: string } = { type: 'subscribe', conversations: subscription.conversations };
    if (subscription.cursor !== undefined) frame['since'] = subscription.cursor;
    try {
      const reply = await this.request(frame);
      // Subscribed live without a cursor: resume after reconnects from what the hub had then.
      subscription.cursor ??= reply['last_seq'] as number;
    } catch {
      // A lost connection resubscribes on reconnect; a refusal (forbidden) leaves the subscription idle.
    }
  }

  private deliver(message: StoredMessage & { queued?: boolean }): void {
    if (message.queued === true) this.acknowledgeQueued(message.seq);
    for (const subscription of this.subscriptions) {
      const { conversations } = subscription;
      if (conversations !== '*' && !conversations.includes(message.conversation_id)) continue;
      if (subscription.cursor !== undefined && message.seq <= subscription.cursor) continue;
      subscription.cursor = message.seq;
      subscription.handler(message);
    }
    // The same message may arrive twice (the offline queue and a subscription replay): same seq, shown once.
    if (this.seen.has(message.seq)) return;
    this.seen.add(message.seq);
    if (this.seen.size > SEEN_LIMIT) this.seen.delete(this.seen.values().next().value as number);
    this.emit('message', message);
  }

  /** Acknowledges queued direct messages once per turn, up to the highest seq received. */
  private acknowledgeQueued(seq: number): void {
    const scheduled = this.inboxAckUpTo !== undefined;
    this.inboxAckUpTo = Math.max(this.inboxAckUpTo ?? 0, seq);
    if (scheduled) return;
    setTimeout(() => {
      const upTo = this.inboxAckUpTo;
      this.inboxAckUpTo = undefined;
      if (upTo !== undefined) this.transmit({ type: 'inbox_ack', up_to: upTo });
    }, 0);
  }

  /** What the hub takes in one `send_batch`, from its welcome; undefined for a hub that takes none. */
  private batchLimits(): BatchLimits | undefined {
    const limits = this.welcome?.['limits'] as { max_batch_messages?: number; max_frame_bytes: number } | undefined;
    if (limits?.max_batch_messages === undefined) return undefined;
    return { maxMessages: limits.max_batch_messages, maxBytes: limits.max_frame_bytes };
  }

  /** A `batch_ack` settles each send of the batch by its result; an error frame settles all of them alike. */
  private settleBatch(re: string, frame: Frame): void {
    const ids = this.batcher.settle(re) ?? [];
    const results = frame.type === 'batch_ack' ? (frame['results'] as BatchResult[]) : undefined;
    ids.forEach((clientMsgId, index) => {
      const result = results?.[index];
      if (result === undefined) this.settleSend(clientMsgId, frame);
      else if ('error' in result) this.settleSend(clientMsgId, { type: 'error', ...result.error });
      else this.settleSend(clientMsgId, { type: 'ack', ...result });
    });
  }

  private settleSend(clientMsgId: string, frame: Frame): void {
    const send = this.sends.get(clientMsgId);
    if (frame.type === 'error') {
      // Storage trouble is worth another try; a refusal (validation, forbidden) is final.
      if (frame['code'] === 'SB_ERR_STORAGE') return;
      this.outbox.remove(clientMsgId);
      this.sends.delete(clientMsgId);
      send?.reject(HubError.fromFrame(frame));
      return;
    }
    this.outbox.remove(clientMsgId);
    this.sends.delete(clientMsgId);
    send?.resolve(frame);
  }

  private lost(code: number, reason: string): void {
    this.release();
    this.transport = undefined;
    this.batcher.reset();
    this.failPending(new HubError(DISCONNECTED, `the connection closed (${code}${reason === '' ? '' : `: ${reason}`})`));
    if (this.closed) return;
    const final = FINAL_CLOSES[code];
    if (final !== undefined) {
      const error = this.refusal ?? new HubError(final, reason);
      this.firstConnect?.reject(error);
      this.firstConnect = undefined;
      this.closed = true;
      this.setStatus('closed');
      this.emit('refused', error);
      return;
    }
    this.refusal = undefined;
    this.setStatus('disconnected');
    const delay = reconnectDelay(this.attempt++, (this.options.random ?? Math.random)(), this.options.reconnect ?? DEFAULT_RECONNECT);
    this.reconnectTimer = setTimeout(() => this.open(), delay);
  }

  private failPending(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  private transmit(frame: Record<string, unknown>): void {
    this.transport?.send(JSON.stringify(frame));
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.statusValue === status) return;
    this.statusValue = status;
    this.emit('status', status);
  }
}

/**
 * Makes client_msg_ids that sort in the order they were made: the hub's unique index on (sender,
 * client_msg_id) then grows at one edge, where random UUIDs landed on a different page each and cost the
 * hub a quarter of its throughput. The prefix (this client's start time, then random hex) keeps a
 * restarted agent from ever reusing an id.
 */
function clientMsgIds(): () => string {
  const prefix = `${Date.now().toString(36).padStart(9, '0')}-${globalThis.crypto.randomUUID().slice(0, 8)}-`;
  let made = 0;
  return () => prefix + (made++).toString(36).padStart(7, '0');
}
