/** Helpers for alert tests: a hub on a clock the test moves (or a real one), the desktop hook's events, a GUI subscribed to alerts, interactions reported by an agent. */
import { afterEach, beforeEach, expect } from 'vitest';
import type { AlertEvent } from '../../electron/hub/alerts/alert-engine.js';
import type { AlertRecord } from '../../shared/index.js';
import { api, connectAgent, startHub, type Frame, type TestClient, type TestHub } from './hub.js';
import { connectWorker, manualClock, startClockedHub, type ManualClock } from './tasks.js';

type Settings = Parameters<typeof startClockedHub>[0];

export interface AlertFixture {
  readonly hub: TestHub;
  readonly clock: ManualClock;
  /** What `services.alerts.onAlert` (the desktop shell's hook) received, in order. */
  readonly hooked: AlertEvent[];
  /** Starts this test's hub on the manual clock (offline queue of 10, task lease of 1 s unless given). */
  start(settings?: Settings): Promise<TestHub>;
  /** Starts this test's hub on the real clock, for webhook retries that wait for real. */
  startReal(settings?: Settings): Promise<TestHub>;
  /** Closes a client or receiver after the test; returns it. */
  track<T extends { close(): Promise<void> }>(closable: T): T;
  /** An agent with a token of its own. */
  worker(name: string): Promise<TestClient>;
  /** The GUI: the admin token, subscribed to alerts. */
  gui(): Promise<TestClient>;
  /** Reports interactions one by one: true/false a 100 ms success/failure, a number a success that took that many ms. */
  report(agent: TestClient, outcomes: (boolean | number)[]): Promise<void>;
  /** GET /api/alerts (newest first). */
  list(query?: string): Promise<AlertRecord[]>;
  /** `rule:subject:level:state` of every alert, newest first. */
  summary(): Promise<string[]>;
}

export const nextAlert = (client: TestClient, event: string): Promise<Frame> => client.next((f) => f.type === 'alert' && f['event'] === event);

/** Registers beforeEach/afterEach: a fresh clock before each test; after it, everything tracked is closed and the hub stopped. */
export function useAlertHub(): AlertFixture {
  let hub: TestHub | undefined;
  let clock = manualClock();
  let hooked: AlertEvent[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  beforeEach(() => {
    clock = manualClock(Date.parse('2026-11-22T10:00:00Z'));
    hooked = [];
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    hub = undefined;
  });
  const started = (h: TestHub): TestHub => {
    hub = h;
    h.hub.services.alerts.onAlert((event) => hooked.push(event));
    cleanups.push(() => h.stop());
    return h;
  };
  const fixture: AlertFixture = {
    get hub() {
      if (hub === undefined) throw new Error('useAlertHub: call start() first');
      return hub;
    },
    get clock() {
      return clock;
    },
    get hooked() {
      return hooked;
    },
    start: async (settings = {}) => started(await startClockedHub({ offlineQueueCapacity: 10, taskLeaseMs: 1000, ...settings }, clock)),
    startReal: async (settings = {}) => started(await startHub(settings)),
    track(closable) {
      cleanups.push(() => closable.close());
      return closable;
    },
    worker: async (name) => fixture.track(await connectWorker(fixture.hub, name)),
    async gui() {
      const client = fixture.track(await connectAgent(fixture.hub, 'gui'));
      expect(await client.request({ type: 'subscribe', alerts: true })).toMatchObject({ type: 'subscribed', alerts: true });
      return client;
    },
    async report(agent, outcomes) {
      for (const outcome of outcomes) {
        const data =
          typeof outcome === 'number'
            ? { response_time_ms: outcome, success: true }
            : { response_time_ms: 100, success: outcome, error_type: outcome ? null : 'Timeout' };
        expect(await agent.request({ type: 'metrics', data })).toMatchObject({ type: 'ack' });
      }
    },
    async list(query = '') {
      const { status, body } = await api(fixture.hub, 'GET', `/api/alerts${query}`);
      expect(status).toBe(200);
      return body['alerts'] as AlertRecord[];
    },
    summary: async () => (await fixture.list()).map((a) => `${a.rule}:${a.subject}:${a.level}:${a.state}`),
  };
  return fixture;
}
