/** Stored messages' `created_at`: the cached conversion must equal Date's ISO text for every millisecond. */
import { describe, expect, it } from 'vitest';
import { isoTime } from '../../electron/hub/store/message-store.js';

describe('created_at as ISO text', () => {
  it('equals toISOString across milliseconds, seconds, days, going back in time and before 1970', () => {
    const start = Date.UTC(2026, 11, 31, 23, 59, 58, 990);
    const times = [
      ...Array.from({ length: 2100 }, (_, i) => start + i),
      start + 5,
      start - 1000,
      start + 86_400_000 * 400,
      -1,
      -999,
      -1000,
      -1001,
      0,
      999,
      1000,
    ];
    expect(times.map(isoTime)).toEqual(times.map((ms) => new Date(ms).toISOString()));
  });
});
