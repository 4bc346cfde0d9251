/**
 * Delivery-health alerts on a hub whose clock the test moves (offline queue fill and drops, tasks waiting,
 * tasks and callbacks that failed for good), and alert webhooks POSTed to a real receiver with retries.
 */
import { createHmac } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { readConnectionFile } from '../../electron/common/connection-file.js';
import type { StoredMessage } from '../../shared/index.js';
import { useAlertHub } from '../helpers/alerts.js';
import { startReceiver, type ReceivedCallback } from '../helpers/callback-receiver.js';
import { api, type Frame } from '../helpers/hub.js';
import { sendTask } from '../helpers/tasks.js';
import { eventually } from '../helpers/wait.js';

const MINUTE = 60_000;

const ctx = useAlertHub();
const { worker, report, list, summary, track } = ctx;

describe('delivery health', () => {
  beforeEach(() => ctx.start());

  it('raises queue_fill at 80 % of an offline queue, queue_drop when it drops, and resolves both once the agent catches up', async () => {
    await (await worker('bob')).close();
    const alice = await worker('alice');
    const seqs: number[] = [];
    const send = async (n: number) => {
      for (let i = 0; i < n; i++)
        seqs.push(((await alice.request({ type: 'send_message', to: 'bob', content: `m${seqs.length}` }))['message'] as StoredMessage).seq);
    };
    await send(7);
    ctx.hub.hub.services.alerts.check();
    expect(await summary()).toEqual([]);
    await send(1);
    ctx.hub.hub.services.alerts.check();
    expect(await list()).toMatchObject([
      { rule: 'queue_fill', subject: 'bob', level: 'warning', value: 80, threshold: 80, message: "bob's offline queue is 80 % full (8 of 10 direct messages)" },
    ]);
    await send(3);
    await eventually(async () => ((await list()).length === 2 ? true : undefined), 'the queue_drop alert');
    ctx.hub.hub.services.alerts.check();
    expect(await summary()).toEqual(['queue_drop:bob:critical:open', 'queue_fill:bob:critical:open']);

    const bob = await worker('bob');
    await bob.next((f) => f.type === 'new_message' && f['seq'] === seqs.at(-1));
    await bob.request({ type: 'inbox_ack', up_to: seqs.at(-1) });
    ctx.hub.hub.services.alerts.check();
    expect(await summary()).toEqual(['queue_drop:bob:critical:resolved', 'queue_fill:bob:critical:resolved']);
  });

  it('raises task_waiting when a due task was offered to nobody for 10 minutes, and resolves it when none waits', async () => {
    const master = await worker('master');
    const { task_id } = await sendTask(master, { to: 'nobody', cmd: 'wait' });
    ctx.clock.advance(10 * MINUTE - 1);
    ctx.hub.hub.services.alerts.check();
    expect(await summary()).toEqual([]);
    ctx.clock.advance(1);
    ctx.hub.hub.services.alerts.check();
    expect(await list()).toMatchObject([
      {
        rule: 'task_waiting',
        subject: 'nobody',
        level: 'warning',
        value: 10,
        message: '1 task for "nobody" waiting to be offered, the oldest for 10 minutes (threshold 10)',
      },
    ]);
    await master.request({ type: 'task_cancel', task_id });
    ctx.hub.hub.services.alerts.check();
    expect(await summary()).toEqual(['task_waiting:nobody:warning:resolved']);
  });

  it('raises task_failed when a task used up its attempts, and resolves it after a quiet cooldown', async () => {
    const master = await worker('master');
    const child = await worker('child');
    const { task_id } = await sendTask(master, { to: 'child', cmd: 'never_accepted', max_attempts: 1 });
    await child.next('task_assigned');
    ctx.clock.advance(1000);
    await ctx.hub.hub.services.relay.dispatcher.tick();
    const [alert] = await eventually(async () => ((await list()).length > 0 ? list() : undefined), 'the task_failed alert');
    expect(alert).toMatchObject({
      rule: 'task_failed',
      subject: 'child',
      level: 'warning',
      message: `task ${task_id} failed: gave up after 1 attempt (child did not accept it in time)`,
    });
    ctx.clock.advance(15 * MINUTE);
    ctx.hub.hub.services.alerts.check();
    expect(await summary()).toEqual(['task_failed:child:warning:resolved']);
  });
});

describe('callbacks and webhooks (real receivers)', () => {
  it('raises callback_failed, by receiver host, when a task callback failed after its retries', async () => {
    await ctx.start({ callbackRetries: 0 });
    const receiver = track(await startReceiver(() => 500));
    const master = await worker('master');
    const child = await worker('child');
    const { task_id } = await sendTask(master, { to: 'child', cmd: 'report', callback_url: `${receiver.url}/done` });
    await child.next('task_assigned');
    await child.request({ type: 'task_accept', task_id });
    await child.request({ type: 'task_result', task_id, status: 'completed', result: 1 });
    const [alert] = await eventually(async () => ((await list()).length > 0 ? list() : undefined), 'the callback_failed alert');
    const host = new URL(receiver.url).host;
    expect(alert).toMatchObject({
      rule: 'callback_failed',
      subject: host,
      message: `the callback of task ${task_id} to ${host} failed after 1 attempt: HTTP 500`,
    });
  });

  it('POSTs raised and resolved alerts to the webhook, retrying with exponential backoff', async () => {
    // A real clock: the retries wait for real.
    await ctx.startReal({ callbackBaseDelayMs: 50 });
    const receiver = track(await startReceiver((index) => (index < 2 ? 500 : 200)));
    expect((await api(ctx.hub, 'PUT', '/api/alerts/config', { body: { webhook_url: `${receiver.url}/alerts` } })).status).toBe(200);
    const agent = await worker('assistant');
    await report(agent, [false, false, false]);
    await eventually(() => (receiver.requests.length === 3 ? true : undefined), 'three webhook attempts');
    await report(agent, [true]);
    await eventually(() => (receiver.requests.length === 4 ? true : undefined), 'the resolved webhook');

    const [first, second, third, fourth] = receiver.requests.map((r) => ({ ...r, json: JSON.parse(r.body) as Frame }));
    expect({ path: first?.path, type: first?.headers['content-type'], alertId: first?.headers['x-switchboard-alert'], body: first?.json }).toEqual({
      path: '/alerts',
      type: 'application/json',
      alertId: '1',
      body: { type: 'alert', event: 'raised', alert: expect.objectContaining({ id: 1, rule: 'consecutive_errors', subject: 'assistant', state: 'open' }) },
    });
    expect([second?.body, third?.body]).toEqual([first?.body, first?.body]);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(45);
    expect((third?.at ?? 0) - (second?.at ?? 0)).toBeGreaterThanOrEqual(95);
    expect(fourth?.json).toMatchObject({ event: 'resolved', alert: { id: 1, state: 'resolved' } });
    // Signed like task callbacks: HMAC-SHA256 of "<timestamp>.<body>" with the hub's secret from connection.json.
    const secret = readConnectionFile(ctx.hub.dataDir)?.callback_secret ?? '';
    const signed = (r: ReceivedCallback): boolean =>
      r.headers['x-switchboard-signature'] ===
      `sha256=${createHmac('sha256', secret)
        .update(`${String(r.headers['x-switchboard-timestamp'])}.${r.body}`)
        .digest('hex')}`;
    expect(receiver.requests.map(signed)).toEqual([true, true, true, true]);
  });

  it('gives up after 3 retries and records webhook_failed', async () => {
    await ctx.startReal({ callbackBaseDelayMs: 10 });
    const receiver = track(await startReceiver(() => 503));
    await api(ctx.hub, 'PUT', '/api/alerts/config', { body: { webhook_url: receiver.url } });
    await report(await worker('assistant'), [120_000]);
    const failed = await eventually(async () => {
      const logs = (await api(ctx.hub, 'GET', '/api/relay/logs?limit=1000')).body['logs'] as Record<string, unknown>[];
      return logs.find((entry) => entry['kind'] === 'webhook_failed');
    }, 'webhook_failed');
    expect(receiver.requests.length).toBe(4);
    expect(failed).toMatchObject({ subject: '1', alert: 1, attempts: 4, error: 'HTTP 503' });
  });
});
