/**
 * The senders and message types among the loaded messages, for the filter boxes. Kept up to date
 * incrementally: live messages only append, so a new timeline that starts with the same message is
 * scanned from where the last one ended.
 */
import type { StoredMessage } from '../../../../shared/index.js';

export interface DistinctFields {
  senders: readonly string[];
  types: readonly string[];
}

export class DistinctValues {
  private first: StoredMessage | undefined;
  private scanned = 0;
  private senders = new Set<string>();
  private types = new Set<string>();
  private result: DistinctFields = { senders: [], types: [] };

  /** Returns the same object while no new sender or type appeared. */
  update(messages: readonly StoredMessage[]): DistinctFields {
    if (messages[0] !== this.first || messages.length < this.scanned) {
      this.first = messages[0];
      this.scanned = 0;
      this.senders = new Set();
      this.types = new Set();
    }
    const before = this.senders.size + this.types.size;
    for (let i = this.scanned; i < messages.length; i += 1) {
      const message = messages[i];
      if (message === undefined) continue;
      this.senders.add(message.sender);
      this.types.add(message.message_type);
    }
    this.scanned = messages.length;
    if (this.senders.size + this.types.size !== before || this.scanned === 0) {
      this.result = { senders: [...this.senders].sort(), types: [...this.types].sort() };
    }
    return this.result;
  }
}
