/**
 * Prometheus metrics for `GET /metrics`, in a registry of this hub's own (several hubs may share a
 * process). Gauges and totals the hub already keeps are read when scraped; histograms and per-agent
 * interaction counters are fed as batches commit and interactions arrive.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { TASK_STATES } from '../../../shared/index.js';
import type { AlertEngine } from '../alerts/alert-engine.js';
import type { HubServices } from '../services.js';

const PREFIX = 'switchboard_';
const COMMIT_SIZE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
const COMMIT_SECONDS_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const RESPONSE_SECONDS_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export interface Prometheus {
  /** `text/plain; version=0.0.4; charset=utf-8` */
  readonly contentType: string;
  /** The exposition text of every metric, current as of now. */
  text(): Promise<string>;
  /** Stops feeding the histograms and counters. */
  close(): void;
}

/** A counter that mirrors a running total the hub keeps, read when scraped. */
function totalOf(registry: Registry, name: string, help: string, read: () => number): void {
  let last = 0;
  new Counter({
    name: PREFIX + name,
    help,
    registers: [registry],
    collect() {
      const value = read();
      if (value > last) this.inc(value - last);
      last = value;
    },
  });
}

function gaugeOf(registry: Registry, name: string, help: string, read: () => number): void {
  new Gauge({
    name: PREFIX + name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

/** Alerts by state, and unresolved alerts by level. */
function alertCollectors(registry: Registry, alerts: AlertEngine): void {
  new Gauge({
    name: `${PREFIX}alerts`,
    help: 'Alerts by state.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      for (const [state, count] of Object.entries(alerts.counts())) this.set({ state }, count);
    },
  });
  new Gauge({
    name: `${PREFIX}alerts_open`,
    help: 'Alerts not yet resolved, by level.',
    labelNames: ['level'],
    registers: [registry],
    collect() {
      for (const [level, count] of Object.entries({ warning: 0, critical: 0, ...alerts.openByLevel() })) this.set({ level }, count);
    },
  });
}

export function createPrometheus(
  s: Pick<HubServices, 'connections' | 'presence' | 'streams' | 'messaging' | 'offlineQueue' | 'frameCounts' | 'relay' | 'alerts' | 'commits' | 'ingest'>,
): Prometheus {
  const registry = new Registry();

  gaugeOf(registry, 'connections', 'Open WebSocket connections.', () => s.connections.size);
  gaugeOf(registry, 'connections_authenticated', 'Open WebSocket connections that have authenticated.', () => s.connections.authenticated());
  totalOf(registry, 'connections_accepted_total', 'WebSocket connections accepted since the hub started.', () => s.connections.accepted);
  gaugeOf(registry, 'agents_online', 'Agents with at least one connection.', () => s.presence.onlineCount());
  gaugeOf(registry, 'streams_open', 'Streamed messages in progress.', () => s.streams.size);
  totalOf(registry, 'messages_stored_total', 'Messages stored (committed) since the hub started.', () => s.messaging.counters.stored);
  totalOf(registry, 'messages_delivered_total', 'Messages sent live to subscribers and members since the hub started.', () => s.messaging.counters.delivered);
  gaugeOf(registry, 'offline_queue_depth', 'Direct messages waiting in offline queues.', () => s.offlineQueue.stats().queued);
  totalOf(registry, 'offline_queue_enqueued_total', 'Offline-queue entries made since the hub started.', () => s.offlineQueue.counters.enqueued);
  totalOf(
    registry,
    'offline_queue_drops_total',
    'Offline-queue entries dropped because a queue was full, since the hub started.',
    () => s.offlineQueue.counters.dropped,
  );

  const framesSeen = new Map<string, number>();
  new Counter({
    name: `${PREFIX}frames_received_total`,
    help: 'WebSocket frames received, by type.',
    labelNames: ['type'],
    registers: [registry],
    collect() {
      for (const [type, count] of s.frameCounts) {
        const last = framesSeen.get(type) ?? 0;
        if (count > last) this.inc({ type }, count - last);
        framesSeen.set(type, count);
      }
    },
  });

  new Gauge({
    name: `${PREFIX}tasks`,
    help: 'Tasks by state.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const counts = s.relay.tasks.countByState();
      for (const state of new Set([...TASK_STATES, ...Object.keys(counts)])) this.set({ state }, counts[state] ?? 0);
    },
  });

  alertCollectors(registry, s.alerts);

  const batches = new Counter({ name: `${PREFIX}commit_batches_total`, help: 'Transactions committed by the group commit.', registers: [registry] });
  const batchSize = new Histogram({
    name: `${PREFIX}commit_batch_size`,
    help: 'Writes per group-commit transaction.',
    buckets: COMMIT_SIZE_BUCKETS,
    registers: [registry],
  });
  const batchSeconds = new Histogram({
    name: `${PREFIX}commit_duration_seconds`,
    help: 'Time one group-commit transaction took, in seconds.',
    buckets: COMMIT_SECONDS_BUCKETS,
    registers: [registry],
  });
  const stopBatches = s.commits.onBatch((writes, seconds) => {
    batches.inc();
    batchSize.observe(writes);
    batchSeconds.observe(seconds);
  });

  const interactions = new Counter({
    name: `${PREFIX}interactions_total`,
    help: 'Interactions stored, by agent and outcome.',
    labelNames: ['agent', 'success'],
    registers: [registry],
  });
  const responseSeconds = new Histogram({
    name: `${PREFIX}interaction_response_seconds`,
    help: 'Response time agents reported for their interactions, in seconds.',
    labelNames: ['agent'],
    buckets: RESPONSE_SECONDS_BUCKETS,
    registers: [registry],
  });
  const stopInteractions = s.ingest.onInteraction((interaction) => {
    interactions.inc({ agent: interaction.agent, success: interaction.success ? 'true' : 'false' });
    responseSeconds.observe({ agent: interaction.agent }, interaction.response_time_ms / 1000);
  });

  return {
    contentType: registry.contentType,
    text: () => registry.metrics(),
    close() {
      stopBatches();
      stopInteractions();
    },
  };
}
