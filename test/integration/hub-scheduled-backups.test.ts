/** The hub's own backup schedule, from settings.json's backupEvery/backupFolder/backupKeepDays, on an injected clock. */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CATCH_UP_DELAY_MS, checkBackupFile, type SchedulerClock } from '../../electron/hub/backup/index.js';
import { resolveConfig } from '../../electron/hub/config.js';
import { ConfigError } from '../../electron/common/config-error.js';
import { startHub, tempDir, type TestHub } from '../helpers/hub.js';
import { eventually } from '../helpers/wait.js';
import { connect } from '../../sdk/index.js';
import { FAST } from '../helpers/sdk.js';

/** A clock the test moves by hand; timers fire when it passes their time. */
function manualClock(start: number): SchedulerClock & { advance(ms: number): void } {
  let now = start;
  let timers: { at: number; run: () => void }[] = [];
  return {
    now: () => now,
    setTimer(run, ms) {
      const timer = { at: now + ms, run };
      timers.push(timer);
      return () => void (timers = timers.filter((t) => t !== timer));
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const timer of due) timer.run();
    },
  };
}

const hubs: TestHub[] = [];
afterEach(async () => {
  await Promise.all(hubs.splice(0).map((h) => h.stop()));
});

describe('scheduled backups in the hub', () => {
  it('writes a consistent backup into the data folder’s backups/ on schedule', async () => {
    const clock = manualClock(Date.UTC(2026, 10, 22, 9, 0, 0));
    const hub = await startHub({ backupEvery: 'hourly' }, { backupClock: clock });
    hubs.push(hub);
    const agent = await connect({ url: hub.wsUrl, token: hub.token, agent: 'coder', stateDir: false, reconnect: FAST });
    const sent = await agent.send('general', 'before the scheduled backup');
    await agent.close();
    clock.advance(CATCH_UP_DELAY_MS);
    const folder = join(hub.dataDir, 'backups');
    const name = await eventually(() => (existsSync(folder) ? readdirSync(folder).find((n) => n.endsWith('.db')) : undefined), 'a scheduled backup');
    expect(name).toBe('switchboard-20261122-090100.db');
    expect(await checkBackupFile(join(folder, name))).toMatchObject({ lastSeq: sent.seq, messages: 1 });
  });

  it('makes none when backupEvery is off', async () => {
    const clock = manualClock(Date.UTC(2026, 10, 22, 9, 0, 0));
    const hub = await startHub({ backupEvery: 'off' }, { backupClock: clock });
    hubs.push(hub);
    clock.advance(8 * 86_400_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(join(hub.dataDir, 'backups'))).toBe(false);
  });

  it('reports a backup that cannot be written and keeps serving', async () => {
    const clock = manualClock(Date.UTC(2026, 10, 22, 9, 0, 0));
    const notAFolder = join(tempDir(), 'a-file');
    writeFileSync(notAFolder, 'not a folder');
    const failures: string[] = [];
    const hub = await startHub(
      { backupEvery: 'daily', backupFolder: notAFolder },
      { backupClock: clock, onBackupError: (_error, file) => failures.push(file) },
    );
    hubs.push(hub);
    clock.advance(CATCH_UP_DELAY_MS);
    await eventually(() => (failures.length > 0 ? true : undefined), 'the failure to be reported');
    expect(failures[0]?.startsWith(notAFolder)).toBe(true);
    expect((await fetch(`${hub.http}/api/health`)).status).toBe(200);
  });

  it('refuses an unknown schedule and a relative folder, naming each setting', () => {
    let caught: unknown;
    try {
      resolveConfig({ dataDir: tempDir(), backupEvery: 'sometimes' as never, backupFolder: 'backups', backupKeepDays: 0 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect(Object.keys((caught as ConfigError).fields).sort()).toEqual(['backupEvery', 'backupFolder', 'backupKeepDays']);
  });
});
