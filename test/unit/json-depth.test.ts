/** The nesting scan: what counts as a level, and what does not. */
import { describe, expect, it } from 'vitest';
import { nestedDeeperThan } from '../../electron/hub/ws/json-depth.js';

describe('nestedDeeperThan', () => {
  it('counts arrays and objects inside one another, and allows exactly the limit', () => {
    expect([
      nestedDeeperThan('[[[]]]', 3),
      nestedDeeperThan('[[[[]]]]', 3),
      nestedDeeperThan('{"a":{"b":[{}]}}', 4),
      nestedDeeperThan('{"a":{"b":[{}]}}', 3),
      nestedDeeperThan('[[],[],[],[]]', 2),
      nestedDeeperThan('42', 0),
    ]).toEqual([false, true, false, true, false, false]);
  });

  it('ignores brackets inside strings, also after escaped quotes and backslashes', () => {
    expect([
      nestedDeeperThan('{"text":"[[[[[[{{{{"}', 1),
      nestedDeeperThan(String.raw`{"text":"say \"[[[[\" twice"}`, 1),
      nestedDeeperThan(String.raw`{"path":"C:\\","next":[[[]]]}`, 3),
      nestedDeeperThan(String.raw`{"path":"C:\\","next":[[[]]]}`, 4),
    ]).toEqual([false, false, true, false]);
  });

  it('refuses a million unclosed brackets', () => {
    expect(nestedDeeperThan('['.repeat(1_000_000), 64)).toBe(true);
  });
});
