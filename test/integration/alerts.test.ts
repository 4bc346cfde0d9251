/**
 * Alerts on a hub whose clock the test moves: the seed's rules on reported interactions (thresholds,
 * consecutive errors, error rate), cooldown, escalation, auto-resolve and acknowledge; GUI pushes and the
 * desktop hook; the alert settings, with the seed's alert_config.json imported as is.
 */
import { rmSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { nextAlert, useAlertHub } from '../helpers/alerts.js';
import { agentToken, api, startHub, tempDir } from '../helpers/hub.js';

const MINUTE = 60_000;
/** The seed's monitoring_data/alert_config.json, byte for byte. */
const SEED_FILE = `{
  "error_rate_threshold": 5.0,
  "response_time_threshold": 30000,
  "consecutive_errors_threshold": 3,
  "alert_cooldown_minutes": 15,
  "enabled": true,
  "webhook_url": "https://your-webhook-url.com/alerts",
  "email_notifications": true
}`;

const ctx = useAlertHub();
const { worker, gui, report, list, summary } = ctx;

describe('the seed rules', () => {
  beforeEach(() => ctx.start());

  it('raises consecutive_errors at the third failure, pushes it to the GUI and the desktop hook, lists it, and resolves it on a success', async () => {
    const screen = await gui();
    const agent = await worker('assistant');
    await report(agent, [false, false]);
    expect(await list()).toEqual([]);
    await report(agent, [false]);
    const raised = await nextAlert(screen, 'raised');
    const at = new Date(ctx.clock.now()).toISOString();
    const expected = {
      id: 1,
      rule: 'consecutive_errors',
      subject: 'assistant',
      level: 'warning',
      state: 'open',
      message: 'assistant failed 3 interactions in a row (last: Timeout)',
      value: 3,
      threshold: 3,
      occurrences: 1,
      first_at: at,
      last_at: at,
      resolved_at: null,
      acknowledged_at: null,
      acknowledged_by: null,
    };
    expect(raised).toEqual({ type: 'alert', event: 'raised', alert: expected });
    expect((await api(ctx.hub, 'GET', '/api/alerts')).body).toEqual({ status: 'ok', alerts: [expected], counts: { open: 1, acknowledged: 0, resolved: 0 } });

    ctx.clock.advance(1000);
    await report(agent, [true]);
    const resolved = await nextAlert(screen, 'resolved');
    expect(resolved['alert']).toMatchObject({ id: 1, state: 'resolved', resolved_at: new Date(ctx.clock.now()).toISOString() });
    expect(ctx.hooked.map((e) => `${e.event}:${e.alert.id}`)).toEqual(['raised:1', 'resolved:1']);
  });

  it('escalates to critical at twice the threshold, counting occurrences on the open alert', async () => {
    const screen = await gui();
    const agent = await worker('assistant');
    await report(agent, [false, false, false, false, false, false]);
    const escalated = await nextAlert(screen, 'escalated');
    expect(escalated['alert']).toMatchObject({
      id: 1,
      level: 'critical',
      value: 6,
      occurrences: 4,
      message: 'assistant failed 6 interactions in a row (last: Timeout)',
    });
  });

  it('raises response_time for one answer slower than 30000 ms, and error_rate only once 10 interactions hold more than 5 % failures', async () => {
    const agent = await worker('assistant');
    await report(agent, [30_000, 45_000]);
    expect(await summary()).toEqual(['response_time:assistant:warning:open']);
    await report(agent, [false, true, true, true, true, true, true]);
    expect(await summary()).toEqual(['response_time:assistant:warning:resolved']);
    await report(agent, [true]);
    expect((await list())[0]).toMatchObject({
      rule: 'error_rate',
      level: 'critical',
      value: 10,
      message: 'assistant: 1 of 10 interactions failed in the last 5 minutes (10 %, threshold 5 %)',
    });
  });

  it('keeps the cooldown of 15 minutes per rule and agent: a new alert only after it, while another agent is alerted at once', async () => {
    const agent = await worker('assistant');
    const other = await worker('reviewer');
    await report(agent, [false, false, false, true]);
    ctx.clock.advance(14 * MINUTE);
    await report(agent, [false, false, false]);
    await report(other, [false, false, false]);
    expect(await summary()).toEqual(['consecutive_errors:reviewer:warning:open', 'consecutive_errors:assistant:warning:resolved']);
    expect(ctx.hub.hub.services.alerts.stats.suppressed).toBe(1);
    ctx.clock.advance(MINUTE);
    await report(agent, [false]);
    expect(await summary()).toEqual([
      'consecutive_errors:assistant:warning:open',
      'consecutive_errors:reviewer:warning:open',
      'consecutive_errors:assistant:warning:resolved',
    ]);
  });

  it('acknowledges an alert once (by whom, pushed), keeps it acknowledged until the condition clears, then resolves it', async () => {
    const screen = await gui();
    const agent = await worker('assistant');
    await report(agent, [false, false, false]);
    ctx.clock.advance(5000);
    const ack = await api(ctx.hub, 'POST', '/api/alerts/1/ack');
    const ackedAt = new Date(ctx.clock.now()).toISOString();
    expect(ack).toEqual({
      status: 200,
      body: { status: 'ok', alert: expect.objectContaining({ id: 1, state: 'acknowledged', acknowledged_at: ackedAt, acknowledged_by: 'user' }) },
    });
    expect((await nextAlert(screen, 'acknowledged'))['alert']).toMatchObject({ state: 'acknowledged' });
    ctx.clock.advance(5000);
    expect((await api(ctx.hub, 'POST', '/api/alerts/1/ack')).body['alert']).toMatchObject({ acknowledged_at: ackedAt });
    expect((await api(ctx.hub, 'POST', '/api/alerts/99/ack')).status).toBe(404);
    expect((await list('?state=acknowledged')).map((a) => a.id)).toEqual([1]);

    await report(agent, [false]);
    expect((await list())[0]).toMatchObject({ state: 'acknowledged', occurrences: 2 });
    await report(agent, [true]);
    expect((await list())[0]).toMatchObject({ state: 'resolved', acknowledged_at: ackedAt, acknowledged_by: 'user' });
    expect(ctx.hooked.map((e) => e.event)).toEqual(['raised', 'acknowledged', 'resolved']);
    const logs = (await api(ctx.hub, 'GET', '/api/relay/logs?limit=1000')).body['logs'] as Record<string, unknown>[];
    expect(logs.filter((e) => String(e['kind']).startsWith('alert.')).map((e) => `${String(e['kind'])}:${String(e['actor'])}:${String(e['subject'])}`)).toEqual(
      ['alert.raised:null:assistant', 'alert.acknowledged:user:assistant', 'alert.resolved:null:assistant'],
    );
    expect(await list('?state=open')).toEqual([]);
  });

  it('raises nothing while disabled, and lets only the admin token read alerts or subscribe to them', async () => {
    expect((await api(ctx.hub, 'PUT', '/api/alerts/config', { body: { enabled: false } })).body['config']).toMatchObject({ enabled: false });
    const agent = await worker('assistant');
    await report(agent, [false, false, false, 60_000]);
    expect(await list()).toEqual([]);

    const token = await agentToken(ctx.hub, 'assistant');
    expect((await api(ctx.hub, 'GET', '/api/alerts', { token })).status).toBe(403);
    expect(await agent.request({ type: 'subscribe', alerts: true })).toMatchObject({ type: 'error', code: 'SB_ERR_FORBIDDEN' });
  });
});

describe('alert settings', () => {
  beforeEach(() => ctx.start());

  it("imports the seed's alert_config.json as is, reports email_notifications as ignored, and keeps it after a restart", async () => {
    const dataDir = tempDir();
    const first = await startHub({ dataDir });
    const imported = await api(first, 'POST', '/api/alerts/config/import', { body: SEED_FILE });
    const config = {
      error_rate_threshold: 5,
      response_time_threshold: 30000,
      consecutive_errors_threshold: 3,
      alert_cooldown_minutes: 15,
      enabled: true,
      webhook_url: 'https://your-webhook-url.com/alerts',
      error_rate_window_minutes: 5,
      error_rate_min_samples: 10,
      queue_fill_threshold: 80,
      task_wait_minutes: 10,
      federation_down_seconds: 60,
      federation_lag_threshold: 1000,
      federation_lag_seconds: 60,
    };
    expect(imported).toEqual({ status: 200, body: { status: 'ok', config, ignored: ['email_notifications'] } });
    await first.stop();
    const second = await startHub({ dataDir });
    ctx.track({ close: () => second.stop().then(() => rmSync(dataDir, { recursive: true, force: true })) });
    expect((await api(second, 'GET', '/api/alerts/config')).body).toEqual({ status: 'ok', config });
  });

  it('updates the fields given and refuses a bad update naming each bad field', async () => {
    const updated = await api(ctx.hub, 'PUT', '/api/alerts/config', { body: { consecutive_errors_threshold: 5, task_wait_minutes: 2 } });
    expect(updated.body['config']).toMatchObject({ consecutive_errors_threshold: 5, task_wait_minutes: 2, error_rate_threshold: 5 });
    const bad = await api(ctx.hub, 'PUT', '/api/alerts/config', { body: { response_time_threshold: -1, enabled: 'no', queue_fill_threshold: 0 } });
    expect(bad).toEqual({
      status: 400,
      body: {
        status: 'error',
        error: {
          code: 'SB_ERR_VALIDATION',
          message:
            'invalid alert settings: response_time_threshold: Too small: expected number to be >=0; enabled: Invalid input: expected boolean, received string; ' +
            'queue_fill_threshold: Too small: expected number to be >0',
        },
      },
    });
    const refused = await api(ctx.hub, 'PUT', '/api/alerts/config', { body: { webhook_url: 'ftp://example.com/x' } });
    expect(refused.body['error']).toEqual({
      code: 'SB_ERR_VALIDATION',
      message: 'invalid alert settings: webhook_url: the webhook URL must use http: or https: (got ftp:)',
    });
    expect((await api(ctx.hub, 'GET', '/api/alerts/config')).body['config']).toMatchObject({ consecutive_errors_threshold: 5, webhook_url: null });
  });
});
