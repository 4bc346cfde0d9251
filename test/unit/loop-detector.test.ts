/** The loop detector's run of two agents answering each other, counted in a sliding window in O(1) per message. */
import { describe, expect, it } from 'vitest';
import { ConversationLoop, type AlternationRule } from '../../electron/hub/messaging/loop-detector.js';

/**
 * Feeds `senders` at the given times, each message in a batch of its own unless `batches` says otherwise;
 * returns the index of the first message past the budget, or -1.
 */
function firstTrip(senders: string[], times: number[], rule: Partial<AlternationRule> & { max: number }, batches?: number[]): number {
  const loop = new ConversationLoop();
  const full: AlternationRule = { windowMs: 1000, reactionMs: 1000, ...rule };
  return senders.findIndex((sender, i) => loop.alternates(sender, times[i] ?? 0, batches?.[i] ?? i + 1, full));
}

const every = (n: number, ms: number): number[] => Array.from({ length: n }, (_, i) => i * ms);
const pingPong = (n: number): string[] => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'a' : 'b'));

describe('the alternation window', () => {
  it('trips on the message after `max` alternating ones within the window', () => {
    expect(firstTrip(pingPong(20), every(20, 1), { max: 5 })).toBe(5);
    expect(firstTrip(pingPong(20), every(20, 1), { max: 1 })).toBe(1);
  });

  it('slides: the same number of messages spread wider than the window never trips', () => {
    expect(firstTrip(pingPong(50), every(50, 100), { windowMs: 300, max: 3 })).toBe(-1);
    expect(firstTrip(pingPong(50), every(50, 100), { windowMs: 301, max: 3 })).toBe(3);
  });

  it('ends the run when a sender speaks twice in a row, and starts a new one when a third agent answers', () => {
    expect(firstTrip('aaaaaaaaaa'.split(''), every(10, 1), { max: 3 })).toBe(-1);
    expect(firstTrip('abcabcabcabcabc'.split(''), every(15, 1), { max: 3 })).toBe(-1);
    // a a a b: the run is a, b (two); then a, b make four.
    expect(firstTrip('aaabab'.split(''), every(6, 1), { max: 3 })).toBe(5);
    // a b a b, then b: the run ends; b a b a is a new run.
    expect(firstTrip('ababbaba'.split(''), every(8, 1), { max: 4 })).toBe(-1);
    expect(firstTrip('abacbcab'.split(''), every(8, 1), { max: 3 })).toBe(-1);
  });

  it('never trips for two agents posting on their own, however fast, unless they take strict turns', () => {
    // Interleaved as concurrent senders are: they switch often, but never take more than four strict turns.
    const interleaved = 'abbaab'.repeat(50).split('');
    expect(firstTrip(interleaved, every(interleaved.length, 1), { max: 4 })).toBe(-1);
    expect(firstTrip(pingPong(300), every(300, 1), { max: 4 })).toBe(4);
  });

  it('counts a message as an answer only within the reaction time', () => {
    expect(firstTrip(pingPong(20), every(20, 100), { windowMs: 10_000, reactionMs: 99, max: 3 })).toBe(-1);
    expect(firstTrip(pingPong(20), every(20, 100), { windowMs: 10_000, reactionMs: 100, max: 3 })).toBe(3);
  });

  it('does not count a message as an answer to one that was not yet committed when it arrived (the same batch)', () => {
    // Two senders whose messages land in the same batches, two by two: each could not have seen the other's.
    const sameBatch = Array.from({ length: 20 }, (_, i) => Math.floor(i / 2));
    expect(firstTrip(pingPong(20), every(20, 1), { max: 3 }, sameBatch)).toBe(-1);
  });

  it('forgets the run on reset', () => {
    const loop = new ConversationLoop();
    const rule: AlternationRule = { windowMs: 1000, reactionMs: 1000, max: 3 };
    for (let i = 0; i < 3; i++) expect(loop.alternates(i % 2 === 0 ? 'a' : 'b', i, i + 1, rule)).toBe(false);
    loop.reset();
    for (let i = 3; i < 6; i++) expect(loop.alternates(i % 2 === 0 ? 'a' : 'b', i, i + 1, rule)).toBe(false);
    expect(loop.alternates('a', 6, 7, rule)).toBe(true);
  });
});
