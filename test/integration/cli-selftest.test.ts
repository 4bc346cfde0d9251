/**
 * `switchboard selftest`: a scratch hub in a child process, killed with SIGKILL while two agents send,
 * and every acknowledged message found once afterwards, on this machine's own disk.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-process.js';

describe('switchboard selftest', () => {
  it('kills a scratch hub three times while agents send, and finds every acknowledged message once, with an intact database', async () => {
    const run = await runCli(['selftest', '--messages', '600', '--json'], 60_000);
    const lines = run.stdout.trim().split('\n');
    const figures = JSON.parse(lines.at(-1) ?? '{}') as Record<string, unknown>;
    expect({ code: run.code, stderr: run.stderr, figures }).toEqual({
      code: 0,
      stderr: '',
      figures: { acked: 600, found: 600, lost: 0, duplicates: 0, kills: 3, integrity: 'ok', seconds: expect.any(Number) },
    });
    expect(lines.filter((line) => line.startsWith('killed the hub (SIGKILL)'))).toHaveLength(3);
    expect(lines.at(-2)).toMatch(/^passed: 600 acknowledged, 600 found, 0 lost, 0 duplicated, 0 gaps in seq, 3 kills, integrity ok/);
  }, 90_000);

  it('refuses a message count it cannot use, with the rule', async () => {
    const run = await runCli(['selftest', '--messages', '5']);
    expect({ code: run.code, stderr: run.stderr.trim() }).toEqual({
      code: 1,
      stderr: expect.stringContaining('--messages must be a whole number from 100 to 1000000'),
    });
  });
});
