/** The loop detector's sliding window: alternation between the same two agents, counted in O(1) per message. */
import { describe, expect, it } from 'vitest';
import { ConversationLoop } from '../../electron/hub/loop-detector.js';

/** Feeds `senders` at the given times; returns the index of the first message past the budget, or -1. */
function firstTrip(senders: string[], times: number[], windowMs: number, max: number): number {
  const loop = new ConversationLoop();
  return senders.findIndex((sender, i) => loop.alternates(sender, times[i] ?? 0, windowMs, max));
}

const every = (n: number, ms: number): number[] => Array.from({ length: n }, (_, i) => i * ms);

describe('the alternation window', () => {
  it('trips on the message after `max` alternating ones within the window', () => {
    const senders = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 'a' : 'b'));
    expect(firstTrip(senders, every(20, 1), 1000, 5)).toBe(5);
    expect(firstTrip(senders, every(20, 1), 1000, 1)).toBe(1);
  });

  it('slides: the same number of messages spread wider than the window never trips', () => {
    const senders = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? 'a' : 'b'));
    expect(firstTrip(senders, every(50, 100), 300, 3)).toBe(-1);
    expect(firstTrip(senders, every(50, 100), 301, 3)).toBe(3);
  });

  it('does not count a sender repeating itself, and starts over when a third agent speaks', () => {
    expect(
      firstTrip(
        Array.from({ length: 100 }, () => 'a'),
        every(100, 1),
        1000,
        3,
      ),
    ).toBe(-1);
    expect(firstTrip('abcabcabcabcabc'.split(''), every(15, 1), 1000, 3)).toBe(-1);
    // a a a b: the run is a, b (two); then a, b make four.
    expect(firstTrip('aaabab'.split(''), every(6, 1), 1000, 3)).toBe(5);
    expect(firstTrip('abacbcab'.split(''), every(8, 1), 1000, 3)).toBe(-1);
  });

  it('forgets the run on reset', () => {
    const loop = new ConversationLoop();
    for (let i = 0; i < 3; i++) expect(loop.alternates(i % 2 === 0 ? 'a' : 'b', i, 1000, 3)).toBe(false);
    loop.reset();
    for (let i = 3; i < 6; i++) expect(loop.alternates(i % 2 === 0 ? 'a' : 'b', i, 1000, 3)).toBe(false);
    expect(loop.alternates('a', 6, 1000, 3)).toBe(true);
  });
});
