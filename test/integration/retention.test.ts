/** Retention on an injected clock: raw interactions and events past retentionDays are deleted, rollups past rollupRetentionDays; messages and tasks stay. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../electron/common/config-error.js';
import { createHub } from '../../electron/hub/hub.js';
import { silentLogger } from '../../electron/common/logger.js';
import { publish } from '../helpers/messages.js';
import { agentToken, api, connectAgent, tempDir, type TestHub } from '../helpers/hub.js';
import { manualClock, startClockedHub, type ManualClock } from '../helpers/tasks.js';

const DAY = 86_400_000;
const MINUTE = 60_000;
let hub: TestHub | undefined;

afterEach(async () => {
  await hub?.stop();
  hub = undefined;
});

/** Row counts read from the hub's database file; `before` counts rows older than a time. */
function counts(h: TestHub, before: number): Record<string, number> {
  const db = new Database(join(h.dataDir, 'switchboard.db'), { readonly: true });
  const one = (sql: string, ...params: number[]): number =>
    (db
      .prepare(sql)
      .pluck()
      .get(...params) as number) ?? 0;
  try {
    return {
      interactions: one('SELECT count(*) FROM interactions'),
      old_events: one('SELECT count(*) FROM events WHERE ts < ?', before),
      new_events: one('SELECT count(*) FROM events WHERE ts >= ?', before),
      rollups: one('SELECT count(*) FROM interaction_rollups'),
      messages: one('SELECT count(*) FROM messages'),
      tasks: one('SELECT count(*) FROM tasks'),
    };
  } finally {
    db.close();
  }
}

/** Stores `n` interactions of `agent` (in HTTP batches of 1000), spread over `minutes` minutes ending at `end`. */
async function report(h: TestHub, agent: string, n: number, end: number, minutes = 1): Promise<void> {
  for (let done = 0; done < n; done += 1000) {
    const interactions = Array.from({ length: Math.min(1000, n - done) }, (_, i) => ({
      timestamp: end - ((done + i) % minutes) * MINUTE,
      response_time_ms: 100,
      success: true,
    }));
    const { status } = await api(h, 'POST', '/api/metrics', { body: { interactions }, headers: { 'x-agent-name': agent } });
    expect(status).toBe(201);
  }
}

/** Something that writes an audit event now (a token made for `agent`). */
const recordEvent = (h: TestHub, agent: string): Promise<string> => agentToken(h, agent);

async function aged(clock: ManualClock): Promise<TestHub> {
  hub = await startClockedHub({}, clock);
  const writer = await connectAgent(hub, 'writer');
  await publish(writer, 'general', 3);
  await writer.close();
  const { status } = await api(hub, 'POST', '/api/tasks', { body: { to: 'nobody', cmd: 'keep me' } });
  expect(status).toBe(201);
  return hub;
}

describe('retention', () => {
  it('deletes raw interactions and events older than retentionDays in batches, keeping rollups, messages and tasks', async () => {
    const t0 = Date.now();
    const clock = manualClock(t0);
    const h = await aged(clock);
    await report(h, 'alpha', 11_000, t0, 10);
    await h.hub.services.rollups.flush();
    expect(counts(h, t0 + 1)).toMatchObject({ interactions: 11_000, rollups: 10, messages: 3, tasks: 1, new_events: 0 });
    const oldEvents = counts(h, t0 + 1).old_events;

    clock.advance(31 * DAY);
    await report(h, 'alpha', 1, clock.now());
    await recordEvent(h, 'fresh');
    const batches = h.hub.services.commits.stats.batches;
    const result = await h.hub.services.retention.run();
    // A commit per batch of at most 5,000 rows: 5,000 + 5,000 + 1,000 interactions, then the events, then the rollups.
    expect(h.hub.services.commits.stats.batches - batches).toBeGreaterThanOrEqual(5);
    expect({ result, after: counts(h, t0 + 1) }).toEqual({
      result: { interactions: 11_000, events: oldEvents, rollups: 0 },
      // The run's own `retention` event is new too.
      after: { interactions: 1, old_events: 0, new_events: 2, rollups: 10, messages: 3, tasks: 1 },
    });
  });

  it('deletes rollups older than rollupRetentionDays, and keeps newer ones', async () => {
    const t0 = Date.now();
    const clock = manualClock(t0);
    const h = await aged(clock);
    await report(h, 'alpha', 5, t0, 5);
    clock.advance(200 * DAY);
    await report(h, 'alpha', 2, clock.now(), 2);
    await h.hub.services.rollups.flush();
    clock.advance(166 * DAY);
    await report(h, 'alpha', 1, clock.now());
    const result = await h.hub.services.retention.run();
    await h.hub.services.rollups.flush();
    expect({ result, rollups: counts(h, 0).rollups, messages: counts(h, 0).messages }).toEqual({
      result: { interactions: 7, events: expect.any(Number), rollups: 5 },
      rollups: 3,
      messages: 3,
    });
  });

  it('runs when the hub starts', async () => {
    const t0 = Date.now();
    const clock = manualClock(t0);
    const h = await aged(clock);
    await report(h, 'alpha', 20, t0);
    const dataDir = h.dataDir;
    await h.hub.stop();
    clock.advance(40 * DAY);
    const again = createHub({ port: 0, dataDir }, { clock, logger: silentLogger });
    await again.start();
    try {
      const db = new Database(join(dataDir, 'switchboard.db'), { readonly: true });
      const left = async (): Promise<number> => db.prepare('SELECT count(*) FROM interactions').pluck().get() as number;
      for (let i = 0; i < 100 && (await left()) > 1; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      // The newest row is kept so its id is never handed out again.
      expect(await left()).toBe(1);
      db.close();
    } finally {
      await again.stop();
    }
  });

  it('refuses rollupRetentionDays shorter than retentionDays', () => {
    expect(() => createHub({ dataDir: tempDir(), retentionDays: 30, rollupRetentionDays: 7 })).toThrow(ConfigError);
    expect(() => createHub({ dataDir: tempDir(), retentionDays: 0 })).toThrow(/retentionDays must be a whole number from 1 to 36500 \(got 0\)/);
  });
});
