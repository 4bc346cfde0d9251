/** Failed authentications by source on a real database file: one event per kind and minute with its count, and a budget per minute. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUTH_FAILURES_PER_MINUTE, createAuthFailures, type AuthFailures } from '../../electron/hub/auth/auth-failures.js';
import { silentLogger } from '../../electron/common/logger.js';
import { closeDatabase, openDatabase, type Db } from '../../electron/hub/store/database.js';
import { createEventStore, type EventStore } from '../../electron/hub/store/event-store.js';
import { tempDir } from '../helpers/hub.js';

let dir: string;
let db: Db;
let events: EventStore;
let failures: AuthFailures;
let now = 0;

beforeEach(() => {
  dir = tempDir('switchboard-auth-failures-');
  db = openDatabase(join(dir, 'events.db'));
  events = createEventStore(db);
  now = 1_000_000;
  failures = createAuthFailures({ events, logger: silentLogger, now: () => now });
});

afterEach(() => {
  failures.close();
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

const stored = (): unknown[] => events.latest(100).map((e) => ({ ts: Date.parse(e.ts), subject: e.subject, detail: e.detail }));

describe('auth failures', () => {
  it('keeps one event per source, subject and reason and minute, its count written when the hub stops', () => {
    for (let i = 0; i < 5; i++) failures.failed('127.0.0.1', 'ws hello', 'unknown or revoked token');
    failures.failed('127.0.0.1', 'ws hello', 'missing token');
    failures.failed('10.0.0.2', 'ws hello', 'unknown or revoked token');
    now += 60_000;
    failures.failed('127.0.0.1', 'ws hello', 'unknown or revoked token');
    failures.close();
    expect(stored()).toEqual([
      { ts: 1_000_000, subject: 'ws hello', detail: { reason: 'unknown or revoked token', peer: '127.0.0.1', count: 5 } },
      { ts: 1_000_000, subject: 'ws hello', detail: { reason: 'missing token', peer: '127.0.0.1', count: 1 } },
      { ts: 1_000_000, subject: 'ws hello', detail: { reason: 'unknown or revoked token', peer: '10.0.0.2', count: 1 } },
      { ts: 1_060_000, subject: 'ws hello', detail: { reason: 'unknown or revoked token', peer: '127.0.0.1', count: 1 } },
    ]);
  });

  it(`answers the failures of one source past ${AUTH_FAILURES_PER_MINUTE} in a minute with SB_ERR_RATE_LIMITED, other sources and the next minute unaffected`, () => {
    const codes = (peer: string, n: number): string[] =>
      Array.from({ length: n }, () => failures.failed(peer, 'http GET /api/agents', 'unknown or revoked token')?.code ?? 'counted');
    const first = codes('127.0.0.1', AUTH_FAILURES_PER_MINUTE + 2);
    const other = codes('10.0.0.2', 1);
    now += 59_000;
    const late = failures.failed('127.0.0.1', 'http GET /api/agents', 'unknown or revoked token');
    now += 1_000;
    const nextMinute = codes('127.0.0.1', 1);
    expect({ first: first.slice(-3), other, late: late?.message, nextMinute }).toEqual({
      first: ['counted', 'SB_ERR_RATE_LIMITED', 'SB_ERR_RATE_LIMITED'],
      other: ['counted'],
      late: `more than ${AUTH_FAILURES_PER_MINUTE} failed authentications from 127.0.0.1 within a minute; try again in 1 s`,
      nextMinute: ['counted'],
    });
  });
});
