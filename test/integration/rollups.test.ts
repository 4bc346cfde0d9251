/** Interaction rollups per agent and minute: exact aggregates, late interactions, coarser buckets, totals, and rebuilding after a crash. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { api, startHub, tempDir, useHub, type TestHub } from '../helpers/hub.js';

const ctx = useHub();
const MINUTE = 60_000;

/** The start of a 5-minute span 20 to 25 minutes ago: inside retention, and long enough ago that its minutes are closed. */
const spanStart = (): number => Math.floor((Date.now() - 20 * MINUTE) / (5 * MINUTE)) * 5 * MINUTE;

interface Record_ {
  ms: number;
  at: number;
  ok?: boolean;
  tools?: unknown[];
  error?: string;
}

async function report(hub: TestHub, agent: string, records: Record_[]): Promise<void> {
  const interactions = records.map((r) => ({
    timestamp: r.at,
    response_time_ms: r.ms,
    success: r.ok ?? true,
    tools_used: r.tools ?? [],
    error_type: r.error ?? null,
  }));
  const { status, body } = await api(hub, 'POST', '/api/metrics', { body: { interactions }, headers: { 'x-agent-name': agent } });
  expect({ status, stored: body['stored'] }).toEqual({ status: 201, stored: records.length });
}

async function rollups(hub: TestHub, query: string): Promise<Record<string, unknown>[]> {
  const { status, body } = await api(hub, 'GET', `/api/metrics/rollups?${query}`);
  if (status !== 200) throw new Error(`rollups answered ${status}: ${JSON.stringify(body)}`);
  return body['rollups'] as Record<string, unknown>[];
}

/** Minute 0: ten interactions of 10..100 ms (shuffled), two failed; minute 1: three of 5, 1, 9 ms, one failed. */
function knownSet(t0: number): Record_[] {
  const minute0 = [70, 10, 100, 40, 20, 90, 30, 60, 50, 80].map((ms, i) => ({
    ms,
    at: t0 + i * 1000,
    tools: i < 4 ? ['search', { tool: 'read', params: { path: '/x' } }] : ['search'],
    ...(ms === 100 || ms === 90 ? { ok: false, error: ms === 100 ? 'Timeout' : 'RateLimit' } : {}),
  }));
  const minute1 = [5, 1, 9].map((ms) => ({ ms, at: t0 + MINUTE + ms * 1000, ...(ms === 9 ? { ok: false, error: 'Timeout' } : {}) }));
  return [...minute0, ...minute1];
}

const iso = (ms: number): string => new Date(ms).toISOString();

describe('interaction rollups', () => {
  it("aggregates each agent's minutes exactly: count, errors, p50/p95, tools and error types", async () => {
    const t0 = spanStart();
    await report(ctx.hub, 'alpha', knownSet(t0));
    await report(ctx.hub, 'beta', [{ ms: 42, at: t0 + 30_000, tools: ['write'] }]);
    expect(await rollups(ctx.hub, `since=${t0}&until=${t0 + 2 * MINUTE}`)).toEqual([
      {
        agent: 'alpha',
        start: iso(t0),
        count: 10,
        errors: 2,
        error_rate: 20,
        avg_ms: 55,
        p50_ms: 50,
        p95_ms: 100,
        p95_max_ms: 100,
        max_ms: 100,
        tools: { search: 10, read: 4 },
        error_types: { Timeout: 1, RateLimit: 1 },
      },
      {
        agent: 'alpha',
        start: iso(t0 + MINUTE),
        count: 3,
        errors: 1,
        error_rate: 33.333,
        avg_ms: 5,
        p50_ms: 5,
        p95_ms: 9,
        p95_max_ms: 9,
        max_ms: 9,
        tools: {},
        error_types: { Timeout: 1 },
      },
      {
        agent: 'beta',
        start: iso(t0),
        count: 1,
        errors: 0,
        error_rate: 0,
        avg_ms: 42,
        p50_ms: 42,
        p95_ms: 42,
        p95_max_ms: 42,
        max_ms: 42,
        tools: { write: 1 },
        error_types: {},
      },
    ]);
    expect((await rollups(ctx.hub, `agent=beta&since=${iso(t0)}&until=${iso(t0 + 2 * MINUTE)}`)).map((r) => [r['agent'], r['count']])).toEqual([['beta', 1]]);
  });

  it('rewrites a minute from its raw rows when a late interaction arrives after the minute was written', async () => {
    const t0 = spanStart();
    await report(ctx.hub, 'alpha', knownSet(t0));
    await rollups(ctx.hub, `agent=alpha&since=${t0}&until=${t0 + MINUTE}`);
    // Written and long over: the minute has left memory.
    expect(ctx.hub.hub.services.rollups.openMinutes).toBe(0);
    await report(ctx.hub, 'alpha', [{ ms: 1000, at: t0 + 59_999, ok: false, error: 'Crash', tools: ['read'] }]);
    expect(await rollups(ctx.hub, `agent=alpha&since=${t0}&until=${t0 + MINUTE}`)).toEqual([
      {
        agent: 'alpha',
        start: iso(t0),
        count: 11,
        errors: 3,
        error_rate: 27.273,
        avg_ms: 140.909,
        p50_ms: 60,
        p95_ms: 1000,
        p95_max_ms: 1000,
        max_ms: 1000,
        tools: { search: 10, read: 5 },
        error_types: { Timeout: 1, RateLimit: 1, Crash: 1 },
      },
    ]);
  });

  it('stores an interaction already past retentionDays but leaves it out of the rollups', async () => {
    const old = Date.now() - 31 * 24 * 60 * MINUTE;
    await report(ctx.hub, 'alpha', [{ ms: 5, at: old }]);
    expect(await rollups(ctx.hub, `since=${old - MINUTE}&until=${old + MINUTE}`)).toEqual([]);
  });

  it('shows the current minute at once, from memory', async () => {
    const now = Date.now();
    await report(ctx.hub, 'alpha', [
      { ms: 7, at: now },
      { ms: 3, at: now },
    ]);
    const [row] = await rollups(ctx.hub, `agent=alpha&since=${now - 2 * MINUTE}`);
    expect(row).toMatchObject({ start: iso(Math.floor(now / MINUTE) * MINUTE), count: 2, p50_ms: 3, p95_ms: 7 });
    expect(ctx.hub.hub.services.rollups.openMinutes).toBe(1);
  });

  it('merges minutes into 5-minute buckets (sums exact, percentiles weighted by count, the largest p95 as a bound) and totals per agent', async () => {
    const t0 = spanStart();
    await report(ctx.hub, 'alpha', knownSet(t0));
    await report(ctx.hub, 'beta', [{ ms: 42, at: t0 + 30_000 }]);
    const merged = {
      count: 13,
      errors: 3,
      error_rate: 23.077,
      avg_ms: 43.462,
      p50_ms: 39.615,
      p95_ms: 79,
      p95_max_ms: 100,
      max_ms: 100,
      tools: { search: 10, read: 4 },
      error_types: { Timeout: 2, RateLimit: 1 },
    };
    expect(await rollups(ctx.hub, `agent=alpha&bucket=5m&since=${t0}&until=${t0 + 5 * MINUTE}`)).toEqual([{ agent: 'alpha', start: iso(t0), ...merged }]);
    const { status, body } = await api(ctx.hub, 'GET', `/api/metrics/agents?since=${t0}&until=${t0 + 5 * MINUTE}`);
    expect({ status, body }).toEqual({
      status: 200,
      body: {
        status: 'ok',
        since: iso(t0),
        until: iso(t0 + 5 * MINUTE),
        agents: [
          { agent: 'alpha', ...merged, minutes: 2 },
          {
            agent: 'beta',
            count: 1,
            errors: 0,
            error_rate: 0,
            avg_ms: 42,
            p50_ms: 42,
            p95_ms: 42,
            p95_max_ms: 42,
            max_ms: 42,
            tools: {},
            error_types: {},
            minutes: 1,
          },
        ],
      },
    });
  });

  it('refuses an unknown bucket, an empty window and a series with too many points, naming the problem', async () => {
    const answers = await Promise.all(
      [
        '/api/metrics/rollups?bucket=7m',
        '/api/metrics/rollups?since=2000&until=1000',
        '/api/metrics/rollups?since=0',
        '/api/metrics/agents?until=yesterday',
      ].map((path) => api(ctx.hub, 'GET', path).then(({ status, body }) => [status, (body['error'] as { message: string }).message])),
    );
    expect(answers).toEqual([
      [400, 'invalid query: bucket: Invalid option: expected one of "1m"|"5m"|"15m"|"1h"|"1d"'],
      [400, 'invalid query: since must be earlier than until'],
      [400, expect.stringMatching(/^invalid query: \d+ buckets of 1m in that window, at most 20000: choose a larger bucket or a shorter window$/)],
      [400, 'invalid query: until: expected an ISO 8601 time such as 2025-01-31T12:00:00Z, or milliseconds since the epoch'],
    ]);
  });
});

describe('interaction rollups across restarts', () => {
  it('writes open minutes on stop, and at start rebuilds the minutes of interactions stored after the last write (a crash)', async () => {
    const dataDir = tempDir();
    const t0 = spanStart();
    try {
      let hub = await startHub({ dataDir });
      await report(hub, 'alpha', knownSet(t0).slice(0, 10));
      await hub.stop();
      // As if the hub had stored these and crashed before writing their minute: raw rows only.
      const db = new Database(join(dataDir, 'switchboard.db'));
      const insert = db.prepare("INSERT INTO interactions (agent, ts, tools_used, response_time_ms, success, created_at) VALUES (?, ?, '[]', ?, 1, ?)");
      for (const [agent, ts, ms] of [
        ['alpha', t0 + 1000, 1000],
        ['gamma', t0 + MINUTE, 8],
      ] as const) {
        insert.run(agent, ts, ms, Date.now());
      }
      db.close();
      hub = await startHub({ dataDir });
      const rows = (await rollups(hub, `since=${t0}&until=${t0 + 2 * MINUTE}`)).map((r) => [r['agent'], r['start'], r['count'], r['p95_ms']]);
      await hub.stop();
      expect(rows).toEqual([
        ['alpha', iso(t0), 11, 1000],
        ['gamma', iso(t0 + MINUTE), 1, 8],
      ]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
