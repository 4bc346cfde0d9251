/**
 * Task durability: the real CLI in a child process is SIGKILLed while it dispatches; after a restart on
 * the same folder every acknowledged task is there, finished ones stay finished, and the ones in flight
 * at the crash are offered again after their lease — and no task is completed twice.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskAttempt, TaskRecord } from '../../shared/index.js';
import { serveCli, type CliHub } from '../helpers/cli-process.js';
import { openSocket, tempDir, type Frame, type TestClient } from '../helpers/hub.js';
import { eventually } from '../helpers/wait.js';

/** Tasks sent before the crash; the child finishes some, works on one, and leaves the others offered. */
const FIRST_TASKS = 12;
/** Sent in parallel as the hub is killed; only those acknowledged count. */
const BURST = 8;
const COMPLETED_BEFORE = 3;
// Before the crash, leases short enough to see the tasks in flight expire after the restart, yet far
// longer than the child takes to be offered its four tasks. After it, leases no busy machine outlasts: the
// child accepts each re-offer inside its lease (a lapse would be a second offer and use up an attempt).
const BEFORE = { taskLeaseMs: 4000, taskTimeoutMs: 4000, taskRetryBaseMs: 50, taskRetryMaxMs: 200, maxTasksInFlight: 4 };
const AFTER = { ...BEFORE, taskLeaseMs: 60_000 };

async function sendTask(cli: CliHub, cmd: string): Promise<string> {
  const response = await fetch(`${cli.http}/api/relay/send`, {
    method: 'POST',
    headers: { 'X-Relay-API-Key': cli.token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ from: 'master', to: 'child', type: 'task', cmd }),
  });
  const body = (await response.json()) as { status: string; task_id: string };
  if (body.status !== 'ok') throw new Error(`send refused: ${JSON.stringify(body)}`);
  return body.task_id;
}

async function getTask(cli: CliHub, taskId: string): Promise<{ http: number; task?: TaskRecord; attempts?: TaskAttempt[] }> {
  const response = await fetch(`${cli.http}/api/tasks/${taskId}`, { headers: { authorization: `Bearer ${cli.token}` } });
  const body = (await response.json()) as { task?: TaskRecord; attempts?: TaskAttempt[] };
  return {
    http: response.status,
    ...(body.task === undefined ? {} : { task: body.task }),
    ...(body.attempts === undefined ? {} : { attempts: body.attempts }),
  };
}

async function connectChild(cli: CliHub): Promise<TestClient> {
  const client = await openSocket(cli.wsUrl);
  const welcome = await client.request({ type: 'hello', token: cli.token, agent: 'child' });
  if (welcome.type !== 'welcome') throw new Error(`hello failed: ${JSON.stringify(welcome)}`);
  return client;
}

const offered = (client: TestClient): Frame[] => client.frames.filter((f) => f.type === 'task_assigned');
const idOf = (frame: Frame): string => (frame['task'] as TaskRecord).task_id;

describe('task durability across a crash', () => {
  const running: CliHub[] = [];
  const clients: TestClient[] = [];
  const folders: string[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    for (const cli of running.splice(0)) {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
      await cli.exited;
    }
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it(
    'keeps every acknowledged task through SIGKILL, re-offers the ones in flight after their lease, and completes none twice',
    { timeout: 45_000 },
    async () => {
      const dataDir = tempDir();
      folders.push(dataDir);
      writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(BEFORE));

      // Before the crash: 12 tasks; the child completes 3, accepts 1 and leaves 3 offered (4 in flight at most).
      const first = await serveCli(dataDir);
      running.push(first);
      const before = await connectChild(first);
      clients.push(before);
      const acked: string[] = [];
      for (let i = 0; i < FIRST_TASKS; i++) acked.push(await sendTask(first, `before_${i}`));
      const completedBefore = new Map<string, unknown>();
      for (let i = 0; i < COMPLETED_BEFORE; i++) {
        const taskId = idOf(await before.next('task_assigned'));
        const result = { phase: 'before', n: i };
        const done = await before.request({ type: 'task_result', task_id: taskId, status: 'completed', result });
        expect(done).toMatchObject({ type: 'ack', changed: true });
        completedBefore.set(taskId, result);
      }
      const working = idOf(await before.next('task_assigned'));
      expect(await before.request({ type: 'task_accept', task_id: working })).toMatchObject({ type: 'ack', changed: true });
      await eventually(() => (offered(before).length === COMPLETED_BEFORE + 4 ? true : undefined), 'the child to hold four tasks');
      const offeredOnly = offered(before)
        .slice(COMPLETED_BEFORE + 1)
        .map(idOf);

      // The crash: a burst of sends, and SIGKILL as soon as the first of them is acknowledged.
      let killed = false;
      const burst = Array.from({ length: BURST }, (_, i) =>
        sendTask(first, `burst_${i}`).then((taskId) => {
          acked.push(taskId);
          if (!killed) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        }),
      );
      const settled = await Promise.allSettled(burst);
      const exit = await first.exited;
      await before.waitClosed();

      // After the restart: a child (same name, new process) takes whatever it is offered and completes it.
      writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(AFTER));
      const second = await serveCli(dataDir);
      running.push(second);
      const afterRestart = await Promise.all(acked.map((id) => getTask(second, id)));
      const after = await connectChild(second);
      clients.push(after);
      after.socket.on('message', (data: Buffer) => {
        const frame = JSON.parse(data.toString('utf8')) as Frame;
        if (frame.type !== 'task_assigned') return;
        const taskId = idOf(frame);
        void after
          .request({ type: 'task_accept', task_id: taskId })
          .then(() => after.request({ type: 'task_result', task_id: taskId, status: 'completed', result: { phase: 'after' } }));
      });
      const final = await eventually(
        async () => {
          const all = await Promise.all(acked.map((id) => getTask(second, id)));
          return all.every((t) => t.task?.state === 'completed') ? all : undefined;
        },
        'every acknowledged task to be completed',
        20_000,
      );
      const byId = new Map(final.map((t) => [t.task?.task_id as string, t]));
      const offersAfter = offered(after).map((f) => ({ id: idOf(f), attempt: f['attempt'] as number }));
      const inFlight = [working, ...offeredOnly];

      expect({
        exit,
        burstSettled: settled.length,
        ackedAtLeast: acked.length > FIRST_TASKS,
        everyAckedStored: afterRestart.map((t) => t.http),
        completedBeforeKept: [...completedBefore.keys()].map((id) => ({
          state: byId.get(id)?.task?.state,
          result: byId.get(id)?.task?.result,
          attempts: byId.get(id)?.attempts?.map((a) => `${a.agent}:${a.outcome}`),
        })),
        completedBeforeNotOfferedAgain: offersAfter.filter((o) => completedBefore.has(o.id)),
        inFlight: inFlight.map((id) => {
          const attempts = byId.get(id)?.attempts ?? [];
          return {
            unfinishedAtRestart: ['submitted', 'working'].includes(afterRestart.find((t) => t.task?.task_id === id)?.task?.state ?? ''),
            firstAttempt: attempts[0]?.outcome,
            lastAttempt: attempts.at(-1)?.outcome,
            reoffered: offersAfter.filter((o) => o.id === id).map((o) => o.attempt > 1),
            result: byId.get(id)?.task?.result,
          };
        }),
        completedOnce: final.filter((t) => (t.attempts ?? []).filter((a) => a.outcome === 'completed').length !== 1).map((t) => t.task?.task_id),
        offeredOnceAfter: offersAfter.length === new Set(offersAfter.map((o) => o.id)).size,
      }).toEqual({
        exit: { code: null, signal: 'SIGKILL' },
        burstSettled: BURST,
        ackedAtLeast: true,
        everyAckedStored: acked.map(() => 200),
        completedBeforeKept: [...completedBefore.values()].map((result) => ({ state: 'completed', result, attempts: ['child:completed'] })),
        completedBeforeNotOfferedAgain: [],
        inFlight: inFlight.map(() => ({
          unfinishedAtRestart: true,
          firstAttempt: 'expired',
          lastAttempt: 'completed',
          reoffered: [true],
          result: { phase: 'after' },
        })),
        completedOnce: [],
        offeredOnceAfter: true,
      });
    },
  );
});
