import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../renderer/src/components/format.js';

describe('formatDuration', () => {
  it('keeps sub-millisecond latencies readable instead of rounding them to 0 ms', () => {
    expect(formatDuration(0.25)).toBe('0.25 ms');
    expect(formatDuration(3.456)).toBe('3.46 ms');
    expect(formatDuration(0)).toBe('0 ms');
  });

  it('moves to seconds, minutes, hours and days as durations grow', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(4_200)).toBe('4.2 s');
    expect(formatDuration(3 * 60_000)).toBe('3 min');
    expect(formatDuration(125 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration(76 * 3_600_000)).toBe('3 d 4 h');
  });
});
