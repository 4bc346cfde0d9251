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

/**
 * An entry is saved before `add` returns, so a send survives even a process that exits right after it.
 * Removals (acks) are saved once per turn: one `batch_ack` settles up to a thousand sends, and saving
 * after each would rewrite the whole file as often.
 */
export class Outbox {
  private readonly entries = new Map<string, OutboxEntry>();
  private readonly store: OutboxStore;
  private readonly capacity: number;
  private saveQueued = false;

  /** @param capacity entries kept at most (default 1000); the oldest goes first. */
  constructor(store: OutboxStore, capacity = 1000) {
    this.store = store;
    this.capacity = capacity;
    for (const entry of store.load()) this.entries.set(entry.client_msg_id, entry);
  }

  /** Adds an entry and saves; returns the entries dropped to make room. */
  add(entry: OutboxEntry): OutboxEntry[] {
    this.entries.set(entry.client_msg_id, entry);
    const dropped: OutboxEntry[] = [];
    for (const [id, oldest] of this.entries) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(id);
      dropped.push(oldest);
    }
    this.save();
    return dropped;
  }

  has(clientMsgId: string): boolean {
    return this.entries.has(clientMsgId);
  }

  remove(clientMsgId: string): void {
    if (this.entries.delete(clientMsgId)) this.saveSoon();
  }

  /** The entries, oldest first. */
  pending(): readonly OutboxEntry[] {
    return [...this.entries.values()];
  }

  get size(): number {
    return this.entries.size;
  }

  private save(): void {
    this.store.save([...this.entries.values()]);
  }

  private saveSoon(): void {
    if (this.saveQueued) return;
    this.saveQueued = true;
    queueMicrotask(() => {
      this.saveQueued = false;
      this.save();
    });
  }
}
