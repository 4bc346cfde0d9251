/**
 * Sends waiting for the hub's acknowledgement. Every send passes through here, so a send made while
 * disconnected, or one whose ack was lost with the connection, is sent again on reconnect with the same
 * `client_msg_id` — the hub stores it once. Capacity is bounded: when full the oldest entry is dropped
 * and the client says how many.
 */

export interface OutboxEntry {
  client_msg_id: string;
  /** The `send_message` frame without its request id. */
  frame: Record<string, unknown>;
}

/** Where the outbox is kept between runs: memory (default) or, in Node, a file saved atomically. */
export interface OutboxStore {
  load(): OutboxEntry[];
  save(entries: readonly OutboxEntry[]): void;
}

export function memoryOutboxStore(): OutboxStore {
  let saved: OutboxEntry[] = [];
  return {
    load: () => saved,
    save: (entries) => {
      saved = [...entries];
    },
  };
}

export class Outbox {
  private readonly entries: OutboxEntry[];
  private readonly store: OutboxStore;
  private readonly capacity: number;

  /** @param capacity entries kept at most (default 1000); the oldest goes first. */
  constructor(store: OutboxStore, capacity = 1000) {
    this.store = store;
    this.capacity = capacity;
    this.entries = [...store.load()];
  }

  /** Adds an entry and saves; returns the entries dropped to make room. */
  add(entry: OutboxEntry): OutboxEntry[] {
    this.entries.push(entry);
    const dropped = this.entries.length > this.capacity ? this.entries.splice(0, this.entries.length - this.capacity) : [];
    this.store.save(this.entries);
    return dropped;
  }

  has(clientMsgId: string): boolean {
    return this.entries.some((entry) => entry.client_msg_id === clientMsgId);
  }

  remove(clientMsgId: string): void {
    const index = this.entries.findIndex((entry) => entry.client_msg_id === clientMsgId);
    if (index < 0) return;
    this.entries.splice(index, 1);
    this.store.save(this.entries);
  }

  pending(): readonly OutboxEntry[] {
    return this.entries;
  }

  get size(): number {
    return this.entries.length;
  }
}
