// The overview's hour sparklines: which minutes they draw.
import { describe, expect, it } from 'vitest';
import type { MinuteCounts } from '../../shared/index.js';
import { hourHistory } from '../../renderer/src/views/overview/minute-history.js';

const MINUTE = 60_000;
const hourStart = Date.UTC(2026, 0, 1, 10, 0);

/** The hub's answer: one entry per minute from 10:00, the last the current minute. */
function answer(messages: number[]): MinuteCounts[] {
  return messages.map((count, i) => ({ minute: hourStart + i * MINUTE, messages: count, tasks: 0 }));
}

const messages = (minute: MinuteCounts): number => minute.messages;

// The last argument is the hub's uptime in seconds, as of the last (current) minute's start.
describe('hourHistory', () => {
  it('leaves out the current minute, still filling, so the line does not end in a drop, but counts it in the total', () => {
    const hour = hourHistory(answer([4, 5, 6, 1]), messages, 3600);
    expect(hour.minutes).toEqual([4, 5, 6]);
    expect(hour.total).toBe(16);
  });

  it('starts a young hub’s line when the hub started, not with the minutes before it', () => {
    const hour = hourHistory(answer([0, 0, 0, 0, 2, 0, 3, 1]), messages, 220);
    expect(hour.minutes).toEqual([0, 2, 0, 3]);
  });

  it('starts at the first count when stored data predates the hub’s start', () => {
    const hour = hourHistory(answer([0, 7, 0, 0, 2, 1]), messages, 60);
    expect(hour.minutes).toEqual([7, 0, 0, 2]);
  });

  it('keeps the whole hour for a hub older than it, quiet minutes included', () => {
    const hour = hourHistory(answer([0, 0, 3, 0, 1]), messages, 300);
    expect(hour.minutes).toEqual([0, 0, 3, 0]);
  });
});
