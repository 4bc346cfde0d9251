/** Binary searches over a seq-ordered list of messages (the timeline). */
import type { StoredMessage } from '../../../../shared/index.js';

/** Index of the message with this seq in a seq-ordered list, or -1. */
export function indexOfSeq(messages: readonly StoredMessage[], seq: number): number {
  let low = 0;
  let high = messages.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const at = messages[middle]?.seq ?? 0;
    if (at === seq) return middle;
    if (at < seq) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** How many messages of a seq-ordered list come after `seq`. */
export function countAfter(messages: readonly StoredMessage[], seq: number): number {
  let low = 0;
  let high = messages.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((messages[middle]?.seq ?? 0) <= seq) low = middle + 1;
    else high = middle;
  }
  return messages.length - low;
}
