/** One connection's subscription to a conversation (or `*`), as the connection keeps it. */
export interface Subscription {
  readonly key: string;
  /** The seq of the last message delivered (or skipped as not readable) through this subscription. */
  cursor: number;
  /** False while stored messages are still being replayed; live messages are then left to the replay. */
  live: boolean;
}
