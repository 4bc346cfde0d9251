// The overview's hour sparkline: which minutes it draws.
import { describe, expect, it } from 'vitest';
import { completedMinutes } from '../../renderer/src/views/overview/minute-history.js';

describe('completedMinutes', () => {
  it('leaves out the current minute, still filling, so the line does not end in a drop', () => {
    expect(completedMinutes([4, 5, 6, 1])).toEqual([4, 5, 6]);
    expect(completedMinutes([3])).toEqual([]);
  });
});
