/**
 * One conversation's loop state: its pause, its hop baseline, and the current run of two agents answering
 * each other in strict alternation, counted in a sliding window — O(1) per message.
 */

export interface Pause {
  at: number;
  reason: string;
  /** The two agents of the loop, sorted; empty when the pause was read back after a restart. */
  agents: string[];
}

/** The alternation rule's budget: more than `max` messages of one run within `windowMs` pause the conversation. */
export interface AlternationRule {
  windowMs: number;
  max: number;
  /** A message answers the one before only if it follows it within this many ms. */
  reactionMs: number;
}

export class ConversationLoop {
  paused: Pause | undefined;
  /** Hops spent before the last resume: the hop budget counts from here. */
  hopBase = 0;
  /** The longest reply chain admitted since the hub started, in hops. */
  topHops = 0;
  /** The sender of the latest message, and the agent it answered (the other one of the run), if it answered. */
  last: string | undefined;
  other: string | undefined;
  lastAt = 0;
  /** The commit batch the latest message went into. */
  private lastBatch = 0;
  /** Times of the run's messages, a ring of `max`; made when the first answer starts a run. */
  private times: Float64Array | undefined;
  private head = 0;
  private count = 0;

  /**
   * Counts a message from `sender` at `now`, admitted while commit batch `batch` was being gathered; true
   * when it is one message too many in a run of two agents answering each other within the window.
   *
   * A message answers the one before when another agent sent that one, it was already committed (and so
   * delivered) when this one arrived — a later batch — and this one came within the reaction time. A run
   * is a chain of such answers in strict alternation between the same two agents. A sender speaking twice
   * in a row or a message that answers nothing ends the run; a third agent answering starts a new one. So
   * agents posting on their own, however fast and however interleaved, never make a run.
   */
  alternates(sender: string, now: number, batch: number, rule: AlternationRule): boolean {
    const last = this.last;
    const answers = last !== undefined && sender !== last && batch > this.lastBatch && now - this.lastAt <= rule.reactionMs;
    let tripped = false;
    if (answers) {
      if (this.count === 0 || sender !== this.other) {
        this.clear(rule.max);
        this.push(this.lastAt, now - rule.windowMs, rule.max);
      }
      tripped = this.push(now, now - rule.windowMs, rule.max);
      this.other = last;
    } else {
      this.count = 0;
      this.other = undefined;
    }
    this.last = sender;
    this.lastAt = now;
    this.lastBatch = batch;
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
