/** The CLI's listings: columns line up on a terminal, and stay two-space separated for scripts. */
import { describe, expect, it } from 'vitest';
import { formatTable } from '../../electron/cli/table.js';

const header = ['agent', 'presence', 'last seen'];
const rows = [
  ['coder', 'online', '2026-01-01T00:00:00.000Z'],
  ['a-much-longer-name', 'offline', 'never'],
];

describe('formatTable', () => {
  it('pads every column but the last to its widest cell on a terminal', () => {
    expect(formatTable(header, rows, true)).toBe(
      'agent               presence  last seen\n' + 'coder               online    2026-01-01T00:00:00.000Z\n' + 'a-much-longer-name  offline   never\n',
    );
  });

  it('joins fields with two spaces when the output is not a terminal', () => {
    expect(formatTable(header, rows, false)).toBe('agent  presence  last seen\ncoder  online  2026-01-01T00:00:00.000Z\na-much-longer-name  offline  never\n');
  });
});
