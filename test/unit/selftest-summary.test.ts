// A self-test result in the words the dashboard and the tray's notification use.
import { describe, expect, it } from 'vitest';
import { selftestSummary, selftestTitle, type SelftestResult } from '../../shared/index.js';

const passed: SelftestResult = {
  messages: 2000,
  acked: 2000,
  found: 2000,
  lost: 0,
  duplicates: 0,
  gaps: 0,
  kills: 3,
  integrity: 'ok',
  seconds: 2.3,
  started_at: '2026-12-02T10:00:00.000Z',
  finished_at: '2026-12-02T10:00:02.300Z',
  ok: true,
  error: null,
};

describe('the self-test summary', () => {
  it('gives a passed run its figures in one line', () => {
    expect([selftestTitle(passed), selftestSummary(passed)]).toEqual([
      'Self-test passed',
      '0 lost · 0 duplicates · integrity ok · 3 kills · 2,000 messages in 2.3 s',
    ]);
  });

  it('puts what went wrong first: losses, duplicates, gaps and a damaged database', () => {
    const failed = { ...passed, found: 1988, lost: 12, duplicates: 1, gaps: 2, integrity: 'row 7 missing from index', ok: false };
    expect([selftestTitle(failed), selftestSummary(failed)]).toEqual([
      'Self-test FAILED',
      '12 lost · 1 duplicate · 2 gaps in seq · integrity row 7 missing from index · 3 kills · 1,988 of 2,000 acknowledged messages found, in 2.3 s',
    ]);
  });

  it('says why a run did not finish', () => {
    const cut = { ...passed, acked: 40, found: 0, kills: 1, integrity: 'not checked', ok: false, error: 'the hub stopped during the self-test' };
    expect(selftestSummary(cut)).toBe('did not finish: the hub stopped during the self-test');
  });
});
