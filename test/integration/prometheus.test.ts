/** `GET /metrics`: the Prometheus text format, parsed strictly, with values that match what the test did. */
import { describe, expect, it } from 'vitest';
import { publish } from '../helpers/messages.js';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.js';
import { api, startHub, useHub } from '../helpers/hub.js';

const ctx = useHub();

async function scrape(token: string | null = ctx.hub.token): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${ctx.hub.http}/metrics`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

const interaction = (ms: number, success: boolean) => ({
  type: 'metrics',
  data: { response_time_ms: ms, success, tools_used: ['search'], error_type: success ? null : 'Timeout' },
});

describe('GET /metrics', () => {
  it('needs a token, like every endpoint but /api/health', async () => {
    const { status, text } = await scrape(null);
    expect({ status, body: JSON.parse(text) as unknown }).toEqual({
      status: 401,
      body: { status: 'error', error: { code: 'SB_ERR_AUTH', message: 'a token is required' } },
    });
  });

  it('reports messages, tasks by state, interactions per agent and commit batches as done', async () => {
    const publisher = await ctx.agent('publisher');
    const reader = await ctx.agent('reader');
    await reader.request({ type: 'subscribe', conversations: ['general'] });
    await publish(publisher, 'general', 5);
    const posted = await api(ctx.hub, 'POST', '/api/messages', {
      body: { conversation_id: 'general', content: 'over HTTP' },
      headers: { 'x-agent-name': 'publisher' },
    });
    expect(posted.status).toBe(201);

    for (const cmd of ['one', 'two', 'three']) {
      const { status } = await api(ctx.hub, 'POST', '/api/tasks', { body: { to: 'nobody-online', cmd } });
      expect(status).toBe(201);
    }
    const { body: listed } = await api(ctx.hub, 'GET', '/api/tasks?cmd=three');
    const [three] = listed['tasks'] as { task_id: string }[];
    await api(ctx.hub, 'POST', `/api/tasks/${three?.task_id ?? ''}/cancel`, { body: {} });

    const alpha = await ctx.agent('alpha');
    const beta = await ctx.agent('beta');
    for (const [client, ms, success] of [
      [alpha, 100, true],
      [alpha, 200, true],
      [alpha, 300, true],
      [alpha, 4000, false],
      [beta, 50, true],
      [beta, 60, true],
    ] as const) {
      expect(await client.request(interaction(ms, success))).toMatchObject({ type: 'ack' });
    }

    const { status, type, text } = await scrape();
    expect({ status, type }).toEqual({ status: 200, type: 'text/plain; version=0.0.4; charset=utf-8' });
    const metrics = parsePrometheus(text);
    const value = (name: string, labels: Record<string, string> = {}) => sampleValue(metrics, `switchboard_${name}`, labels);
    const batches = value('commit_batches_total') ?? 0;
    expect({
      connections: value('connections'),
      agents_online: value('agents_online'),
      stored: value('messages_stored_total'),
      delivered: value('messages_delivered_total'),
      send_frames: value('frames_received_total', { type: 'send_message' }),
      tasks: Object.fromEntries((metrics.get('switchboard_tasks')?.samples ?? []).map((s) => [s.labels['state'], s.value])),
      interactions: {
        alpha_ok: value('interactions_total', { agent: 'alpha', success: 'true' }),
        alpha_failed: value('interactions_total', { agent: 'alpha', success: 'false' }),
        beta_ok: value('interactions_total', { agent: 'beta', success: 'true' }),
        beta_failed: value('interactions_total', { agent: 'beta', success: 'false' }),
      },
      alpha_response: {
        count: value('interaction_response_seconds_count', { agent: 'alpha' }),
        sum: value('interaction_response_seconds_sum', { agent: 'alpha' }),
        under_250ms: value('interaction_response_seconds_bucket', { agent: 'alpha', le: '0.25' }),
      },
      batch_sizes_counted: value('commit_batch_size_count'),
      batch_times_counted: value('commit_duration_seconds_count'),
      queue_depth: value('offline_queue_depth'),
      drops: value('offline_queue_drops_total'),
      alerts_open: { warning: value('alerts_open', { level: 'warning' }), critical: value('alerts_open', { level: 'critical' }) },
    }).toEqual({
      connections: 4,
      agents_online: 4,
      stored: 6,
      delivered: 6,
      send_frames: 5,
      tasks: { submitted: 2, canceled: 1, working: 0, 'input-required': 0, completed: 0, failed: 0, rejected: 0 },
      interactions: { alpha_ok: 3, alpha_failed: 1, beta_ok: 2, beta_failed: undefined },
      alpha_response: { count: 4, sum: 4.6, under_250ms: 2 },
      batch_sizes_counted: batches,
      batch_times_counted: batches,
      queue_depth: 0,
      drops: 0,
      alerts_open: { warning: 0, critical: 0 },
    });
    expect(batches).toBeGreaterThan(0);
    expect(metrics.get('switchboard_commit_duration_seconds')?.type).toBe('histogram');
    expect(
      metrics
        .get('switchboard_alerts')
        ?.samples.map((s) => s.labels['state'])
        .sort(),
    ).toEqual(['acknowledged', 'open', 'resolved']);
  });

  it('reads the totals again on every scrape, so they keep rising', async () => {
    const publisher = await ctx.agent('publisher');
    await publish(publisher, 'general', 3);
    const first = sampleValue(parsePrometheus((await scrape()).text), 'switchboard_messages_stored_total');
    await publish(publisher, 'general', 2);
    const second = sampleValue(parsePrometheus((await scrape()).text), 'switchboard_messages_stored_total');
    expect([first, second]).toEqual([3, 5]);
  });

  it('keeps each hub in its own registry', async () => {
    const other = await startHub();
    try {
      const publisher = await ctx.agent('publisher');
      await publish(publisher, 'general', 4);
      const response = await fetch(`${other.http}/metrics`, { headers: { authorization: `Bearer ${other.token}` } });
      expect(sampleValue(parsePrometheus(await response.text()), 'switchboard_messages_stored_total')).toBe(0);
    } finally {
      await other.stop();
    }
  });
});
