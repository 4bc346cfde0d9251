import { describe, expect, it } from 'vitest';
import { ftsQuery } from '../../electron/hub/read-models/search-query.js';

describe('search text to FTS5 query', () => {
  it('quotes every word as a phrase, doubling quotes inside, so operators and syntax are only text', () => {
    expect(['parser', '  two   words ', 'NEAR(a b)', 'say "hi"', 'content:x', "'; DROP TABLE messages; --"].map(ftsQuery)).toEqual([
      '"parser"',
      '"two" "words"',
      '"NEAR(a" "b)"',
      '"say" """hi"""',
      '"content:x"',
      `"';" "DROP" "TABLE" "messages;" "--"`,
    ]);
  });

  it('splits words at NUL, which would otherwise end the query inside an open phrase', () => {
    expect(ftsQuery('a\u0000b')).toBe('"a" "b"');
  });

  it('makes a word with a trailing * a prefix, and leaves a * inside a word as text', () => {
    expect(['pars*', 'pars***', 'a*b', '*'].map(ftsQuery)).toEqual(['"pars"*', '"pars"*', '"a*b"', '""*']);
  });
});
