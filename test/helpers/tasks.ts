/** Helpers for task tests: agents with a kind and capabilities, a hub on a clock the test moves, and short task calls. */
import { expect } from 'vitest';
import type { HubSettings } from '../../electron/hub/config.js';
import type { TaskAttempt, TaskRecord } from '../../shared/index.js';
import { agentToken, openSocket, startHub, type TestClient, type TestHub } from './hub.js';

/** A clock whose time moves only when the test says so. */
export interface ManualClock {
  now(): number;
  advance(ms: number): number;
}

export function manualClock(start = Date.now()): ManualClock {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => (time += ms),
  };
}

/**
 * A hub like `startHub`, but on an injected clock and jitter source, with timers that cannot fire
 * during a test (heartbeat, idle timeout), so leases and backoff move only with `clock.advance`.
 */
export function startClockedHub(settings: Partial<HubSettings>, clock: ManualClock, random: () => number = () => 0.5): Promise<TestHub> {
  return startHub({ idleTimeoutMs: 3_600_000, heartbeatIntervalMs: 600_000, ...settings }, { clock, random });
}

/** Connects `agent` with a token of its own, announcing a kind and capabilities in its hello. */
export async function connectWorker(hub: TestHub, agent: string, profile: { kind?: string; capabilities?: string[] } = {}): Promise<TestClient> {
  const token = await agentToken(hub, agent);
  const client = await openSocket(hub.wsUrl);
  const welcome = await client.request({ type: 'hello', token, agent, ...profile });
  if (welcome.type !== 'welcome') throw new Error(`hello failed: ${JSON.stringify(welcome)}`);
  return client;
}

/** Sends a task from `master` and returns the stored record (fails the test if it was not acknowledged). */
export async function sendTask(master: TestClient, task: Record<string, unknown>): Promise<TaskRecord> {
  const ack = await master.request({ type: 'task_send', task });
  expect(ack).toMatchObject({ type: 'ack', duplicate: false });
  return ack['task'] as TaskRecord;
}

/** The task and its attempts as `task_get` reports them. */
export async function getTask(client: TestClient, taskId: string): Promise<{ task: TaskRecord; attempts: TaskAttempt[] }> {
  const reply = await client.request({ type: 'task_get', task_id: taskId });
  if (reply.type !== 'task_get_response') throw new Error(`task_get failed: ${JSON.stringify(reply)}`);
  return { task: reply['task'] as TaskRecord, attempts: reply['attempts'] as TaskAttempt[] };
}

/**
 * Waits until every frame the hub sent this client before now has arrived (a ping's pong comes after
 * them on the same socket), then returns the ids of the tasks offered to it since frame index `from`.
 */
export async function offeredSince(client: TestClient, from = 0): Promise<string[]> {
  await client.request({ type: 'ping', timestamp: 0 });
  return client.frames
    .slice(from)
    .filter((f) => f.type === 'task_assigned')
    .map((f) => (f['task'] as TaskRecord).task_id);
}

/** The ids of frames of `type` about tasks this client has received so far (after a ping round trip). */
export async function taskFrames(client: TestClient, type: string): Promise<string[]> {
  await client.request({ type: 'ping', timestamp: 0 });
  return client.frames.filter((f) => f.type === type).map((f) => (f['task_id'] as string | undefined) ?? (f['task'] as TaskRecord).task_id);
}

/** A compact view of attempts for one `toEqual`: agent and outcome in order. */
export const outcomes = (attempts: TaskAttempt[]): string[] => attempts.map((a) => `${a.agent}:${a.outcome}`);
