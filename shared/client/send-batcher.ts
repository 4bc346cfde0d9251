/**
 * Sends made in the same turn go out together, the way Redis clients pipeline: one `send_batch` frame
 * (split where the hub's limits say), or a plain `send_message` when a send is alone or the hub takes no
 * batches. Nothing waits for a timer, so a lone send leaves as soon as the code that made it returns.
 */
import type { OutboxEntry } from './outbox.js';

export interface BatchLimits {
  /** The hub's `max_batch_messages`. */
  maxMessages: number;
  /** The hub's `max_frame_bytes`. */
  maxBytes: number;
}

/** Room left in a batch frame for its envelope, `{"type":"send_batch","id":"b:123","messages":[…]}`. */
const ENVELOPE_BYTES = 128;

/** UTF-8 length of a string, without encoding it. */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff)
      i++; // a surrogate pair: 4 bytes for 2 code units
    else if (code >= 0x800) bytes += 2;
    else if (code >= 0x80) bytes += 1;
  }
  return bytes;
}

/** An outbox entry's message as a batch entry: the `send_message` fields without `type`. */
function batchEntry(entry: OutboxEntry): string {
  const fields = { ...entry.frame };
  delete fields['type'];
  return JSON.stringify(fields);
}

export class SendBatcher {
  private queued: OutboxEntry[] = [];
  private scheduled = false;
  private nextId = 1;
  /** Batch request ids sent and not yet answered → the client_msg_ids of their messages, in order. */
  private readonly sent = new Map<string, string[]>();

  /**
   * @param write sends a frame's text; false when there is no connection (the outbox sends again on reconnect).
   * @param limits the hub's batch limits, or undefined when it takes no `send_batch`.
   */
  constructor(
    private readonly write: (text: string) => boolean,
    private readonly limits: () => BatchLimits | undefined,
  ) {}

  /** Queues a send for the end of this turn. */
  add(entry: OutboxEntry): void {
    this.queued.push(entry);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.flush());
  }

  /** The client_msg_ids of an answered batch, in order; undefined for an unknown id. */
  settle(re: string): string[] | undefined {
    const ids = this.sent.get(re);
    this.sent.delete(re);
    return ids;
  }

  /** Forgets what was queued and sent: after a lost connection the outbox sends it all again. */
  reset(): void {
    this.queued = [];
    this.sent.clear();
  }

  private flush(): void {
    this.scheduled = false;
    const entries = this.queued;
    this.queued = [];
    const limits = this.limits();
    if (limits === undefined || entries.length === 1) {
      for (const entry of entries) this.sendAlone(entry);
      return;
    }
    let ids: string[] = [];
    let parts: string[] = [];
    let bytes = ENVELOPE_BYTES;
    for (const entry of entries) {
      const part = batchEntry(entry);
      const size = utf8Length(part) + 1;
      if (ids.length > 0 && (ids.length === limits.maxMessages || bytes + size > limits.maxBytes)) {
        this.sendBatch(ids, parts);
        ids = [];
        parts = [];
        bytes = ENVELOPE_BYTES;
      }
      ids.push(entry.client_msg_id);
      parts.push(part);
      bytes += size;
    }
    this.sendBatch(ids, parts);
  }

  private sendAlone(entry: OutboxEntry): void {
    this.write(JSON.stringify({ ...entry.frame, id: `s:${entry.client_msg_id}` }));
  }

  private sendBatch(ids: string[], parts: string[]): void {
    const id = `b:${this.nextId++}`;
    if (this.write(`{"type":"send_batch","id":"${id}","messages":[${parts.join(',')}]}`)) this.sent.set(id, ids);
  }
}
