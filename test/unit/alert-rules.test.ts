/**
 * The pure alert rules and the alert settings: thresholds, consecutive errors, the error-rate window, health
 * checks, the federation link, hub events, validation and the seed's file.
 */
import { describe, expect, it } from 'vitest';
import { applyUpdate, importSeed } from '../../electron/hub/alerts/alert-config.js';
import {
  newFederationWatch,
  newWindow,
  onEvent,
  onFederation,
  onHealth,
  onInteraction,
  sweepWindow,
  type AgentWindow,
  type Decision,
} from '../../electron/hub/alerts/alert-rules.js';
import { DEFAULT_ALERT_CONFIG, SwitchboardError, type AlertConfig, type FederationStatus } from '../../shared/index.js';

const config: AlertConfig = DEFAULT_ALERT_CONFIG;
/** A hub on loopback with nothing listed in allowedCallbackHosts. */
const policy = { allowedHosts: [], hubHost: '127.0.0.1', hubPort: () => 8765 };
const T0 = Date.parse('2026-11-22T10:00:00Z');
const MINUTE = 60_000;

const call = (success: boolean, ms = 100) => ({ agent: 'assistant', response_time_ms: ms, success, error_type: success ? null : 'Timeout' });

/** The raise decisions of a rule, as `level:value`. */
const raised = (decisions: Decision[], rule: string): string[] =>
  decisions.filter((d) => d.kind === 'raise' && d.rule === rule).map((d) => (d.kind === 'raise' ? `${d.level}:${d.value}` : ''));
const resolved = (decisions: Decision[], rule: string): boolean => decisions.some((d) => d.kind === 'resolve' && d.rule === rule);

/** Feeds outcomes one by one at `at`; returns the decisions of the last one. */
function feed(window: AgentWindow, outcomes: boolean[], at = T0): Decision[] {
  let last: Decision[] = [];
  for (const ok of outcomes) last = onInteraction(window, call(ok), config, at);
  return last;
}

describe('seed rules on interactions', () => {
  it('fires response_time above 30000 ms only, critical from twice the threshold, and clears on a fast answer', () => {
    const w = newWindow();
    const at = (ms: number) => onInteraction(w, call(true, ms), config, T0);
    expect([raised(at(30_000), 'response_time'), raised(at(30_001), 'response_time'), raised(at(60_000), 'response_time')]).toEqual([
      [],
      ['warning:30001'],
      ['critical:60000'],
    ]);
    expect(resolved(at(1_200), 'response_time')).toBe(true);
  });

  it('counts consecutive errors: a warning at 3, critical at 6, and a success resets the count and clears it', () => {
    const w = newWindow();
    const levels = [1, 2, 3, 4, 5, 6].map(() => raised(onInteraction(w, call(false), config, T0), 'consecutive_errors'));
    expect(levels).toEqual([[], [], ['warning:3'], ['warning:4'], ['warning:5'], ['critical:6']]);
    expect(resolved(onInteraction(w, call(true), config, T0), 'consecutive_errors')).toBe(true);
    expect(w.consecutive).toBe(0);
    expect(raised(feed(w, [false, false]), 'consecutive_errors')).toEqual([]);
  });

  it('needs error_rate_min_samples before the error rate fires: one failed call is not 100 %', () => {
    const w = newWindow();
    expect(raised(feed(w, [false]), 'error_rate')).toEqual([]);
    expect(raised(feed(newWindow(), Array<boolean>(9).fill(true).concat(false)), 'error_rate')).toEqual(['critical:10']);
  });

  it('fires strictly above 5 % over the window, critical from 10 %, and clears at or below the threshold', () => {
    const w = newWindow();
    const at5 = feed(w, [...Array<boolean>(19).fill(true), false]);
    expect([raised(at5, 'error_rate'), resolved(at5, 'error_rate')]).toEqual([[], true]);
    expect(raised(feed(w, [false]), 'error_rate')).toEqual(['warning:9.52']);
    expect(raised(feed(w, [false]), 'error_rate')).toEqual(['critical:13.64']);
    expect(resolved(feed(w, Array<boolean>(40).fill(true)), 'error_rate')).toBe(true);
  });

  it('slides the window: failures older than 5 minutes leave it, and a sweep clears the rate without new interactions', () => {
    const w = newWindow();
    feed(w, [...Array<boolean>(8).fill(true), false, false], T0);
    expect(sweepWindow(w, 'assistant', config, T0 + 5 * MINUTE)).toEqual([]);
    expect(sweepWindow(w, 'assistant', config, T0 + 5 * MINUTE + 1)).toEqual([
      { kind: 'resolve', rule: 'error_rate', subject: 'assistant', reason: 'error rate 0 % over 0 interactions' },
    ]);
    expect(w.samples).toEqual([]);
  });
});

describe('delivery health', () => {
  const snapshot = (depth: number, waitingSince?: number) => ({
    queues: depth === 0 ? [] : [{ agent: 'bob', depth }],
    capacity: 1000,
    waiting: waitingSince === undefined ? [] : [{ target: 'coder', count: 2, oldest: waitingSince }],
  });

  it('fires queue_fill from 80 % of the capacity, critical when full, and clears below it', () => {
    const level = (depth: number) => raised(onHealth(snapshot(depth), [], config, T0), 'queue_fill');
    expect([level(799), level(800), level(1000)]).toEqual([[], ['warning:80'], ['critical:100']]);
    const active = [
      { rule: 'queue_fill' as const, subject: 'bob', last_at: T0 },
      { rule: 'queue_drop' as const, subject: 'bob', last_at: T0 },
    ];
    expect(onHealth(snapshot(0), active, config, T0).map((d) => `${d.kind}:${d.rule}`)).toEqual(['resolve:queue_fill', 'resolve:queue_drop']);
  });

  it('fires task_waiting after 10 minutes without an offer, critical after 20, and clears when none waits', () => {
    const level = (since: number) => raised(onHealth(snapshot(0, since), [], config, T0), 'task_waiting');
    expect([level(T0 - 10 * MINUTE + 1), level(T0 - 10 * MINUTE), level(T0 - 20 * MINUTE)]).toEqual([[], ['warning:10'], ['critical:20']]);
    expect(onHealth(snapshot(0), [{ rule: 'task_waiting', subject: 'coder', last_at: T0 }], config, T0)).toEqual([
      { kind: 'resolve', rule: 'task_waiting', subject: 'coder', reason: 'no task has been waiting too long' },
    ]);
  });

  it('clears failure alerts once no new failure came for the cooldown (15 minutes)', () => {
    const active = [{ rule: 'task_failed' as const, subject: 'child', last_at: T0 }];
    expect(onHealth(snapshot(0), active, config, T0 + 15 * MINUTE - 1)).toEqual([]);
    expect(onHealth(snapshot(0), active, config, T0 + 15 * MINUTE).map((d) => d.kind)).toEqual(['resolve']);
  });

  it('turns a queue drop, a task failed after its last attempt and a failed callback into alerts, and nothing else', () => {
    expect(onEvent({ kind: 'offline_queue_drop', actor: 'alice', subject: 'bob', detail: { dropped: 2 } })).toMatchObject({
      rule: 'queue_drop',
      subject: 'bob',
      level: 'critical',
      value: 2,
    });
    const gaveUp = {
      kind: 'task.failed',
      actor: null,
      subject: 't_1',
      detail: { state: 'failed', agent: 'child', reason: 'child did not accept it in time', attempts: 3 },
    };
    expect(onEvent(gaveUp)).toEqual({
      kind: 'raise',
      rule: 'task_failed',
      subject: 'child',
      level: 'warning',
      value: 3,
      threshold: null,
      message: 'task t_1 failed: gave up after 3 attempts (child did not accept it in time)',
    });
    // A child reporting failure is the task's own outcome, not a delivery problem.
    expect(onEvent({ kind: 'task.failed', actor: 'child', subject: 't_2', detail: { state: 'failed', error: 'boom' } })).toBeUndefined();
    expect(onEvent({ kind: 'callback_failed', actor: null, subject: 't_3', detail: { host: '127.0.0.1:9', attempts: 4, error: 'HTTP 500' } })).toMatchObject({
      rule: 'callback_failed',
      subject: '127.0.0.1:9',
      message: 'the callback of task t_3 to 127.0.0.1:9 failed after 4 attempts: HTTP 500',
    });
    expect(onEvent({ kind: 'hub_started', actor: null, subject: null, detail: {} })).toBeUndefined();
  });
});

describe('federation link', () => {
  const SECOND = 1000;
  /** The link's status as GET /api/federation gives it: connected and caught up unless told otherwise. */
  const link = (change: { connected?: boolean; outbox?: number; inbound?: number | null; error?: string } = {}): FederationStatus => ({
    enabled: true,
    hub_id: 'laptop',
    servers: ['nats://10.0.0.5:4222'],
    conversations: ['team-*'],
    connected: change.connected ?? true,
    server: '10.0.0.5:4222',
    outbox: { published_seq: 10, pending: change.outbox ?? 0 },
    inbound: { pending: change.inbound === undefined ? 0 : change.inbound },
    published: 10,
    received: 4,
    refused: 0,
    last_error: change.error === undefined ? null : { at: '2026-11-22T10:00:00.000Z', message: change.error },
  });
  /** Feeds the link's status at each time (seconds after T0) to one watch; returns what the rule decided each time, as `level:value` or `resolve`. */
  const watch = (samples: [number, FederationStatus][]): string[][] => {
    const w = newFederationWatch();
    return samples.map(([at, status]) =>
      onFederation(w, status, [], config, T0 + at * SECOND).map((d) => (d.kind === 'raise' ? `${d.level}:${d.value}` : d.kind)),
    );
  };

  it('fires when the link has been down for 60 s, critical from 120 s, and resolves once it is connected and caught up', () => {
    const down = link({ connected: false, outbox: 12, inbound: null, error: 'could not reach NATS: CONNECTION_REFUSED' });
    expect(
      watch([
        [0, down],
        [59, down],
        [60, down],
        [119, down],
        [120, down],
        [130, link()],
      ]),
    ).toEqual([[], [], ['warning:60'], ['warning:119'], ['critical:120'], ['resolve']]);
    const w = newFederationWatch();
    onFederation(w, down, [], config, T0);
    expect(onFederation(w, down, [], config, T0 + 75 * SECOND)).toEqual([
      {
        kind: 'raise',
        rule: 'federation',
        subject: 'laptop',
        level: 'warning',
        value: 75,
        threshold: 60,
        message:
          'hub "laptop" has not been connected to NATS (nats://10.0.0.5:4222) for 75 s (threshold 60 s); 12 local messages waiting to be published; ' +
          'last error: could not reach NATS: CONNECTION_REFUSED',
      },
    ]);
  });

  it('starts the 60 s again when the link comes back in between', () => {
    const down = link({ connected: false });
    expect(
      watch([
        [0, down],
        [50, link()],
        [55, down],
        [110, down],
        [115, down],
      ]),
    ).toEqual([[], ['resolve'], [], [], ['warning:60']]);
  });

  it('fires when more than 1000 messages stay behind for 60 s on either side, critical from twice as many', () => {
    expect(
      watch([
        [0, link({ outbox: 1001 })],
        [59, link({ outbox: 1500 })],
        [60, link({ outbox: 1500, inbound: 300 })],
        [90, link({ inbound: 2000 })],
      ]),
    ).toEqual([[], [], ['warning:1500'], ['critical:2000']]);
    const w = newFederationWatch();
    onFederation(w, link({ inbound: 5000 }), [], config, T0);
    expect(onFederation(w, link({ outbox: 1200, inbound: null }), [], config, T0 + 61 * SECOND)).toMatchObject([
      {
        level: 'warning',
        value: 1200,
        threshold: 1000,
        message:
          'hub "laptop" has been more than 1000 messages behind for 61 s (threshold 60 s): 1200 local messages to publish, the stream\'s backlog unknown',
      },
    ]);
  });

  it('does not count exactly 1000 behind, and resolves once the backlog is back under the threshold', () => {
    expect(
      watch([
        [0, link({ outbox: 1000 })],
        [60, link({ outbox: 1000 })],
        [70, link({ outbox: 5000 })],
        [130, link({ outbox: 5000 })],
        [131, link({ outbox: 999 })],
      ]),
    ).toEqual([['resolve'], ['resolve'], [], ['critical:5000'], ['resolve']]);
  });

  it('times a backlog only while connected: the backlog left by an outage gets 60 s to drain once the link is back', () => {
    const down = link({ connected: false, outbox: 5000 });
    const back = link({ outbox: 5000 });
    expect(
      watch([
        [0, down],
        [30, down],
        [40, back],
        [99, back],
        [100, back],
      ]),
    ).toEqual([[], [], [], [], ['critical:5000']]);
  });

  it('resolves an alert left from a hub with federation since switched off or renamed, and nothing else', () => {
    const active = [
      { rule: 'federation' as const, subject: 'old-name', last_at: T0 },
      { rule: 'queue_fill' as const, subject: 'bob', last_at: T0 },
    ];
    expect(onFederation(newFederationWatch(), { enabled: false }, active, config, T0)).toEqual([
      { kind: 'resolve', rule: 'federation', subject: 'old-name', reason: 'federation is off' },
    ]);
    expect(onFederation(newFederationWatch(), link({ connected: false }), active, config, T0)).toEqual([
      { kind: 'resolve', rule: 'federation', subject: 'old-name', reason: 'this hub is "laptop" now' },
    ]);
  });
});

describe('alert settings', () => {
  const seedFile = {
    error_rate_threshold: 5.0,
    response_time_threshold: 30000,
    consecutive_errors_threshold: 3,
    alert_cooldown_minutes: 15,
    enabled: true,
    webhook_url: 'https://your-webhook-url.com/alerts',
    email_notifications: true,
  };

  it("imports the seed's alert_config.json as is, ignoring email_notifications and keeping the hub's own settings", () => {
    const current = { ...config, error_rate_threshold: 50, task_wait_minutes: 3 };
    expect(importSeed(current, seedFile, policy)).toEqual({
      config: { ...config, webhook_url: 'https://your-webhook-url.com/alerts', task_wait_minutes: 3 },
      ignored: ['email_notifications'],
    });
  });

  it('updates only the fields given, and refuses a bad update naming every bad field', () => {
    expect(applyUpdate(config, { response_time_threshold: 10_000 }, policy)).toEqual({ ...config, response_time_threshold: 10_000 });
    const bad = () => applyUpdate(config, { error_rate_threshold: 150, enabled: 'yes', consecutive_errors_threshold: 0, colour: 'red' }, policy);
    expect(bad).toThrow(SwitchboardError);
    expect(bad).toThrow(
      'invalid alert settings: error_rate_threshold: Too big: expected number to be <=100; consecutive_errors_threshold: Too small: expected number to be >=1; ' +
        'enabled: Invalid input: expected boolean, received string; colour: not an alert setting (known: error_rate_threshold, response_time_threshold, ' +
        'consecutive_errors_threshold, alert_cooldown_minutes, enabled, webhook_url, error_rate_window_minutes, error_rate_min_samples, queue_fill_threshold, ' +
        'task_wait_minutes, federation_down_seconds, federation_lag_threshold, federation_lag_seconds, email_notifications)',
    );
  });

  it('refuses a webhook the SSRF guard would refuse, when it is saved', () => {
    expect(() => applyUpdate(config, { webhook_url: 'http://169.254.169.254/latest' }, policy)).toThrow(
      'invalid alert settings: webhook_url: webhook host 169.254.169.254 is a cloud metadata address; list it in allowedCallbackHosts to allow it',
    );
    expect(applyUpdate(config, { webhook_url: '' }, policy).webhook_url).toBeNull();
  });
});
