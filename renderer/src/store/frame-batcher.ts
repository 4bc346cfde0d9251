/**
 * Collects what arrives from the hub and hands it over once per animation frame, so thousands of
 * messages a second become one store update per painted frame instead of one per message.
 */
export type Schedule = (flush: () => void) => void;

export class FrameBatcher<T> {
  private pending: T[] = [];
  private scheduled = false;
  private readonly apply: (items: T[]) => void;
  private readonly schedule: Schedule;

  constructor(apply: (items: T[]) => void, schedule: Schedule) {
    this.apply = apply;
    this.schedule = schedule;
  }

  push(item: T): void {
    this.pending.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => this.flush());
  }

  /** Applies everything queued now (also called by the scheduled callback). */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.apply(items);
  }
}
