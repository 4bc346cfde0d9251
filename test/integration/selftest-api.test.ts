/**
 * The self-test from the running hub (the dashboard's and the tray's button): `POST /api/selftest` starts a
 * run in the background, `GET /api/selftest` shows it going and then its result, which outlives a restart.
 */
import { describe, expect, it } from 'vitest';
import type { SelftestState } from '../../shared/index.js';
import { agentToken, api, startHub, tempFolders, type TestHub } from '../helpers/hub.js';
import { eventually } from '../helpers/wait.js';

const folder = tempFolders();

/** Polls GET /api/selftest until no run is going, and answers the state then. */
async function finished(hub: TestHub, timeoutMs = 60_000): Promise<SelftestState> {
  return eventually(
    async () => {
      const state = (await api(hub, 'GET', '/api/selftest')).body as unknown as SelftestState;
      return state.running ? undefined : state;
    },
    'the self-test to finish',
    timeoutMs,
  );
}

describe('the self-test over HTTP', () => {
  it('runs in the background, refuses a second start meanwhile, finds every acknowledged message, and keeps the result after a restart', async () => {
    const dataDir = folder();
    const hub = await startHub({ dataDir });
    try {
      expect((await api(hub, 'GET', '/api/selftest')).body).toEqual({ status: 'ok', running: false, started_at: null, progress: null, last: null });

      const started = await api(hub, 'POST', '/api/selftest', { body: { messages: 300 } });
      expect(started.status).toBe(202);
      expect(started.body).toMatchObject({ running: true, started_at: expect.any(String), progress: { messages: 300, kills: 0 }, last: null });

      const again = await api(hub, 'POST', '/api/selftest', { body: {} });
      expect({ status: again.status, error: again.body['error'] }).toEqual({
        status: 409,
        error: { code: 'SB_ERR_SELFTEST_RUNNING', message: expect.stringContaining('a self-test is already running') },
      });

      const state = await finished(hub);
      expect(state.last).toEqual({
        messages: 300,
        acked: 300,
        found: 300,
        lost: 0,
        duplicates: 0,
        gaps: 0,
        kills: 3,
        integrity: 'ok',
        seconds: expect.any(Number),
        started_at: started.body['started_at'],
        finished_at: expect.any(String),
        ok: true,
        error: null,
      });
      const audit = (await api(hub, 'GET', '/api/relay/logs?limit=5')).body['logs'] as Record<string, unknown>[];
      expect(audit.find((entry) => entry['kind'] === 'selftest_finished')).toMatchObject({ actor: expect.any(String), lost: 0, acked: 300, ok: true });
      await hub.stop();

      const restarted = await startHub({ dataDir });
      try {
        expect((await api(restarted, 'GET', '/api/selftest')).body).toEqual({
          status: 'ok',
          running: false,
          started_at: null,
          progress: null,
          last: state.last,
        });
      } finally {
        await restarted.stop();
      }
    } finally {
      await hub.stop();
    }
  }, 90_000);

  it('refuses an agent that is not an admin, and a message count outside its bounds, saying the rule', async () => {
    const hub = await startHub();
    try {
      const worker = await agentToken(hub, 'worker');
      const forbidden = await api(hub, 'POST', '/api/selftest', { body: {}, token: worker });
      expect({ status: forbidden.status, code: (forbidden.body['error'] as { code: string }).code }).toEqual({ status: 403, code: 'SB_ERR_FORBIDDEN' });
      const answers = await Promise.all(
        [{ messages: 5 }, { messages: 1_000_000 }, { messages: 'many' }, { count: 300 }].map((body) => api(hub, 'POST', '/api/selftest', { body })),
      );
      expect(answers.map((answer) => ({ status: answer.status, error: answer.body['error'] }))).toEqual([
        { status: 400, error: { code: 'SB_ERR_VALIDATION', message: expect.stringContaining('messages must be at least 100') } },
        { status: 400, error: { code: 'SB_ERR_VALIDATION', message: expect.stringContaining('messages must be at most 100000') } },
        { status: 400, error: { code: 'SB_ERR_VALIDATION', message: expect.stringContaining('messages must be a whole number from 100 to 100000') } },
        { status: 400, error: { code: 'SB_ERR_VALIDATION', message: expect.stringContaining('count') } },
      ]);
      expect((await api(hub, 'GET', '/api/selftest')).body['running']).toBe(false);
    } finally {
      await hub.stop();
    }
  });

  it('shows a run whose scratch hub cannot start as a failed result with the reason, instead of waiting for ever', async () => {
    const hub = await startHub({}, { selftest: { command: { command: process.execPath, args: ['-e', 'process.exit(3)', '--'] } } });
    try {
      await api(hub, 'POST', '/api/selftest', { body: { messages: 100 } });
      const { last } = await finished(hub, 10_000);
      expect(last).toMatchObject({ ok: false, acked: 0, integrity: 'not checked', error: expect.stringContaining('the scratch hub exited with 3') });
    } finally {
      await hub.stop();
    }
  });

  it('ends a run when the hub stops, and shows it cut short after the restart', async () => {
    const dataDir = folder();
    const hub = await startHub({ dataDir });
    await api(hub, 'POST', '/api/selftest', { body: { messages: 100_000 } });
    await eventually(
      async () => {
        const state = (await api(hub, 'GET', '/api/selftest')).body as unknown as SelftestState;
        return (state.progress?.acked ?? 0) > 0 ? state : undefined;
      },
      'the first acknowledged messages',
      20_000,
    );
    await hub.stop();
    const restarted = await startHub({ dataDir });
    try {
      const { body } = await api(restarted, 'GET', '/api/selftest');
      expect(body).toMatchObject({
        running: false,
        last: { messages: 100_000, ok: false, integrity: 'not checked', error: 'the hub stopped during the self-test' },
      });
    } finally {
      await restarted.stop();
    }
  }, 60_000);

  it('ends a run that takes too long, and says so', async () => {
    const hang = { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)', '--'] };
    const hub = await startHub({}, { selftest: { command: hang, timeoutMs: () => 500 } });
    try {
      await api(hub, 'POST', '/api/selftest', { body: { messages: 100 } });
      const { last } = await finished(hub, 10_000);
      expect(last).toMatchObject({ ok: false, error: 'the self-test did not finish within 1 s' });
    } finally {
      await hub.stop();
    }
  });
});
