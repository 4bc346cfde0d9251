import { describe, expect, it } from 'vitest';
import { seenSince } from '../../renderer/src/views/conversations/seen-storage.js';

describe('what counts as new since the last visit', () => {
  const conversations = [
    { id: 'general', last_seq: 40 },
    { id: 'design', last_seq: 12 },
  ];

  it('marks nothing as new on a first visit: what the hub already holds counts as seen', () => {
    expect(seenSince(undefined, conversations)).toEqual({ general: 40, design: 12 });
  });

  it('keeps what earlier visits saw, so messages since then are new', () => {
    expect(seenSince({ general: 35 }, conversations)).toEqual({ general: 35 });
  });
});
