/** One conversation's loop state: its pause, its hop baseline, and a sliding window of two agents alternating — O(1) per message. */

export interface Pause {
  at: number;
  reason: string;
  /** The two agents of the loop, sorted; empty when the pause was read back after a restart. */
  agents: string[];
}

export class ConversationLoop {
  paused: Pause | undefined;
  /** Hops spent before the last resume: the hop budget counts from here. */
  hopBase = 0;
  /** The longest reply chain admitted since the hub started, in hops. */
  topHops = 0;
  /** The sender of the latest message, and the other agent of the pair alternating with it. */
  last: string | undefined;
  other: string | undefined;
  lastAt = 0;
  /** Times of the latest alternating messages, a ring of `loopMaxMessages`; made when a second sender appears. */
  private times: Float64Array | undefined;
  private head = 0;
  private count = 0;

  /**
   * Counts a message from `sender` at `now`; true when it would be one message too many alternating
   * between the same two agents within `windowMs`. A sender repeating itself neither counts nor breaks the
   * run; a third agent starts a new run with the previous sender.
   */
  alternates(sender: string, now: number, windowMs: number, max: number): boolean {
    const last = this.last;
    if (sender === last) {
      this.lastAt = now;
      return false;
    }
    let tripped = false;
    if (last !== undefined) {
      if (sender !== this.other) {
        this.clear(max);
        this.push(this.lastAt, now - windowMs, max);
      }
      tripped = this.push(now, now - windowMs, max);
    }
    this.other = last;
    this.last = sender;
    this.lastAt = now;
    return tripped;
  }

  /** Forgets the run (after a resume): counting starts again from the next message. */
  reset(): void {
    this.last = undefined;
    this.other = undefined;
    this.head = 0;
    this.count = 0;
  }

  private clear(max: number): void {
    if (this.times?.length !== max) this.times = new Float64Array(max);
    this.head = 0;
    this.count = 0;
  }

  /** Adds a time; true when the ring already holds `max` times inside the window (this one is past the budget). */
  private push(time: number, windowStart: number, max: number): boolean {
    const times = this.times;
    if (times === undefined) return false;
    if (this.count < max) {
      times[(this.head + this.count) % max] = time;
      this.count++;
      return false;
    }
    if ((times[this.head] ?? 0) > windowStart) return true;
    times[this.head] = time;
    this.head = (this.head + 1) % max;
    return false;
  }
}
