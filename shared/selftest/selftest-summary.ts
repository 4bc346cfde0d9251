/** A self-test result in words, the same in the dashboard and in the tray's notification. */
import type { SelftestResult } from '../protocol/index.js';

const number = (n: number): string => n.toLocaleString('en-US');
const count = (n: number, noun: string): string => `${number(n)} ${noun}${n === 1 ? '' : 's'}`;

/** A passed run: `0 lost · 0 duplicates · integrity ok · 3 kills · 2,000 messages in 2.3 s`; a failed one says what went wrong first. */
export function selftestSummary(result: SelftestResult): string {
  if (result.error !== null) return `did not finish: ${result.error}`;
  const parts = [`${number(result.lost)} lost`, count(result.duplicates, 'duplicate')];
  if (result.gaps > 0) parts.push(`${count(result.gaps, 'gap')} in seq`);
  parts.push(`integrity ${result.integrity}`, count(result.kills, 'kill'));
  parts.push(
    result.ok
      ? `${count(result.messages, 'message')} in ${result.seconds} s`
      : `${number(result.found)} of ${count(result.acked, 'acknowledged message')} found, in ${result.seconds} s`,
  );
  return parts.join(' · ');
}

export function selftestTitle(result: SelftestResult): string {
  return result.ok ? 'Self-test passed' : 'Self-test FAILED';
}
