/** A flood of failed authentications: rate limited per source, coalesced in the audit trail, and never in the way of a valid token. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AUTH_FAILURES_PER_MINUTE } from '../../electron/hub/auth/auth-failures.js';
import { api, connectAgent, openSocket, startHub, type TestClient, type TestHub } from '../helpers/hub.js';

const FORGED_TOKEN = 'sb_thisTokenWasNeverIssuedByTheHub0123456789abcdefghij';

/** The auth_failure events in a stopped hub's database. */
function authFailureEvents(dataDir: string): { subject: string; detail: unknown }[] {
  const db = new Database(join(dataDir, 'switchboard.db'), { readonly: true });
  try {
    const rows = db.prepare("SELECT subject, detail FROM events WHERE kind = 'auth_failure' ORDER BY id").all() as { subject: string; detail: string }[];
    return rows.map((row) => ({ subject: row.subject, detail: JSON.parse(row.detail) as unknown }));
  } finally {
    db.close();
  }
}

describe('failed authentication floods', () => {
  let hub: TestHub | undefined;
  const clients: TestClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await hub?.stop();
    hub = undefined;
  });

  it('answers 1,000 bad-token requests with 401 and then 429, records one audit event with their count, and lets a valid token in throughout', async () => {
    const h = (hub = await startHub());
    const statuses: number[] = [];
    const during: string[] = [];
    let next = 0;
    const flooder = async (): Promise<void> => {
      while (next < 1000) {
        next++;
        const response = await fetch(`${h.http}/api/agents`, { headers: { authorization: `Bearer ${FORGED_TOKEN}` } });
        statuses.push(response.status);
        await response.arrayBuffer();
      }
    };
    const valid = async (): Promise<void> => {
      while (next < 1000) {
        during.push(`http ${(await api(h, 'GET', '/api/agents')).status}`);
        const agent = await connectAgent(h, `agent-${during.length}`);
        during.push('ws welcome');
        await agent.close();
      }
    };
    await Promise.all([...Array.from({ length: 8 }, flooder), valid()]);
    const limited = await api(h, 'GET', '/api/agents', { token: FORGED_TOKEN });
    const hello = await openSocket(h.wsUrl);
    clients.push(hello);
    const refusal = await hello.request({ type: 'hello', token: FORGED_TOKEN });
    const closed = await hello.waitClosed();
    const afterwards = await api(h, 'GET', '/api/agents');
    await h.hub.stop();
    const events = authFailureEvents(h.dataDir);
    expect({
      unauthorized: statuses.filter((s) => s === 401).length,
      limited: statuses.filter((s) => s === 429).length,
      duringFlood: { some: during.length > 0, all: new Set(during) },
      limitedBody: limited,
      refusal: { code: refusal['code'], closed: closed.code },
      afterwards: afterwards.status,
      events,
    }).toEqual({
      unauthorized: AUTH_FAILURES_PER_MINUTE,
      limited: 1000 - AUTH_FAILURES_PER_MINUTE,
      duringFlood: { some: true, all: new Set(['http 200', 'ws welcome']) },
      limitedBody: {
        status: 429,
        body: {
          status: 'error',
          error: {
            code: 'SB_ERR_RATE_LIMITED',
            message: expect.stringMatching(/^more than 30 failed authentications from 127\.0\.0\.1 within a minute; try again in \d+ s$/),
          },
        },
      },
      refusal: { code: 'SB_ERR_RATE_LIMITED', closed: 4001 },
      afterwards: 200,
      events: [
        { subject: 'http GET /api/agents', detail: { reason: 'unknown or revoked token', peer: '127.0.0.1', count: 1001 } },
        { subject: 'ws hello', detail: { reason: 'unknown or revoked token', peer: '127.0.0.1', count: 1 } },
      ],
    });
  });
});
