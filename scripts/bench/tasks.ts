/**
 * The task relay end to end: one master sends tasks to a role, the dispatcher offers them round-robin to
 * the children online in that role, each child accepts (waits for the ack) and sends its result, and a
 * task counts once the master is told it `completed`. Two runs: pipelined tasks/s with a window, and the
 * send→`task_assigned` and send→`completed` latency at a fixed moderate rate.
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { connectClient, intAfter, openSocket, RE_KEY, startsWith, withCpu, type BenchClient } from './client.js';
import type { HubProcess } from './hub-process.js';
import { percentiles, type Percentiles } from './report.js';

export interface TaskRunOptions {
  /** The role the children announce in their hello (`kind`) and the master sends to. */
  role: string;
  children: number;
}

export interface TaskThroughputOptions extends TaskRunOptions {
  /** Most tasks sent but not yet reported completed to the master. */
  window: number;
  maxTasks: number;
  maxSeconds: number;
}

export interface TaskThroughputResult {
  tasks: number;
  seconds: number;
  /** Tasks per second, from the first send until the master heard the last `completed`. */
  rate: number;
  /** Tasks each child took, in child order: shows whether the round-robin spread them. */
  perChild: number[];
  /** CPU used during the run as a share of one core: the hub, and this process (master and children). */
  hubCpu: number;
  clientCpu: number;
}

export interface TaskLatencyOptions extends TaskRunOptions {
  ratePerSecond: number;
  seconds: number;
  /** Sent first at the same rate and left out of the figures. */
  warmupSeconds: number;
}

export interface TaskLatencyResult {
  /** Measured tasks (after the warm-up). */
  tasks: number;
  /** Every task sent, the warm-up included. */
  sent: number;
  /** Milliseconds from the master's `task_send` to a child's `task_assigned`. */
  assign: Percentiles;
  /** Milliseconds from the master's `task_send` to the master's `task_updated` with event `completed`. */
  complete: Percentiles;
  /** Milliseconds the bench's own 1 ms pacing timer fired late: the machine's scheduling noise. */
  timerLateness: Percentiles;
  /** The hub's CPU after the warm-up, as a share of one core. */
  hubCpu: number;
}

/** Task replies put `re` last (after the task), unlike message acks. */
const ACK = Buffer.from('{"type":"ack",');
const TASK_ASSIGNED = Buffer.from('{"type":"task_assigned",');
const TASK_UPDATED = Buffer.from('{"type":"task_updated",');
const COMPLETED = Buffer.from('{"type":"task_updated","event":"completed",');
const DUPLICATE_FALSE = Buffer.from('"duplicate":false');
const TASK_ID_KEY = Buffer.from('"task_id":"');
/** The bench puts the task's number in its payload, so any frame carrying the task says which one it is. */
const INDEX_KEY = Buffer.from('"payload":{"i":');
const QUOTE = 0x22;
const TICK_MS = 1;
const DRAIN_TIMEOUT_MS = 15_000;

const nowNs = (): number => Number(process.hrtime.bigint());

/** A child: a connection that sends `hello` with its role as `kind`, and writes what it sends in one TCP write per tick. */
interface Child {
  readonly ws: WebSocket;
  /** Queues a frame; all frames queued in one tick leave in one write. */
  send(frame: string): void;
  close(): Promise<void>;
}

async function connectChild(hub: HubProcess, name: string, role: string): Promise<Child> {
  const hello = JSON.stringify({ type: 'hello', id: 'hello', token: hub.token, agent: name, kind: role, capabilities: [role] });
  const { ws, tcp } = await openSocket(hub, { hello });
  return makeChild(ws, tcp);
}

function makeChild(ws: WebSocket, tcp: Socket): Child {
  let outbox: string[] = [];
  const flush = (): void => {
    const frames = outbox;
    outbox = [];
    tcp.cork();
    for (const frame of frames) ws.send(frame);
    tcp.uncork();
  };
  return {
    ws,
    send(frame) {
      if (outbox.push(frame) === 1) process.nextTick(flush);
    },
    close() {
      if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
      return new Promise((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
      });
    },
  };
}

/** The `re` of a reply: the hub appends it last, so look from the end. */
function reOf(data: Buffer): number {
  const at = data.lastIndexOf(RE_KEY);
  return at < 0 ? -1 : intAfter(data, RE_KEY, at);
}

function taskIdOf(data: Buffer): string {
  const at = data.indexOf(TASK_ID_KEY);
  if (at < 0) return '';
  const start = at + TASK_ID_KEY.length;
  return data.toString('latin1', start, data.indexOf(QUOTE, start));
}

interface WorkHooks {
  fail(message: string): void;
  /** A task was offered to the child; `task` is its number from the payload. */
  assigned?(task: number): void;
  /** The child's result was acknowledged. */
  finished(): void;
}

/**
 * Makes `child` work: accept every task offered, and once the accept is acknowledged, send the result.
 * Counts the tasks it finished in `done[index]`.
 */
function work(child: Child, index: number, done: number[], hooks: WorkHooks): void {
  /** Request id → task id of accepts waiting for their ack. */
  const accepting = new Map<number, string>();
  let nextId = 0;
  child.ws.on('message', (data: Buffer) => {
    if (startsWith(data, TASK_ASSIGNED)) {
      hooks.assigned?.(intAfter(data, INDEX_KEY));
      const taskId = taskIdOf(data);
      const id = ++nextId;
      accepting.set(id, taskId);
      child.send(`{"type":"task_accept","id":${id},"task_id":"${taskId}"}`);
      return;
    }
    if (!startsWith(data, ACK)) return hooks.fail(`child ${index + 1} got ${data.toString('utf8').slice(0, 300)}`);
    const re = reOf(data);
    const taskId = accepting.get(re);
    if (taskId === undefined) {
      done[index] = (done[index] as number) + 1;
      hooks.finished();
      return;
    }
    accepting.delete(re);
    child.send(`{"type":"task_result","id":${++nextId},"task_id":"${taskId}","status":"completed","result":{"ok":true}}`);
  });
}

/** Connects the master (Bearer header) and the children (hello with the role), runs `body`, closes them all. */
async function withAgents<T>(
  hub: HubProcess,
  options: TaskRunOptions,
  prefix: string,
  body: (master: BenchClient, children: Child[]) => Promise<T>,
): Promise<T> {
  const master = await connectClient(hub, `${prefix}-master`);
  const children: Child[] = [];
  try {
    for (let i = 1; i <= options.children; i++) children.push(await connectChild(hub, `${prefix}-child-${i}`, options.role));
    return await body(master, children);
  } finally {
    await Promise.all([master.close(), ...children.map((child) => child.close())]);
  }
}

const sendFrame = (role: string, index: number): string => `{"type":"task_send","id":${index},"task":{"to":"${role}","cmd":"work","payload":{"i":${index}}}}`;

export function measureTaskThroughput(hub: HubProcess, options: TaskThroughputOptions): Promise<TaskThroughputResult> {
  return withAgents(hub, options, `bench-tasks-${options.role}`, (master, children) => withCpu(hub, () => runThroughput(master, children, options)));
}

function runThroughput(
  master: BenchClient,
  children: readonly Child[],
  options: TaskThroughputOptions,
): Promise<Omit<TaskThroughputResult, 'hubCpu' | 'clientCpu'>> {
  const done = new Array<number>(children.length).fill(0);
  let sent = 0;
  let acked = 0;
  let completed = 0;
  let sending = true;
  let pumpScheduled = false;
  const started = performance.now();
  const deadline = started + options.maxSeconds * 1000;

  return new Promise((resolve, reject) => {
    const fail = (message: string): void => {
      sending = false;
      reject(new Error(message));
    };
    const finished = (): number => done.reduce((a, b) => a + b, 0);

    // Runs once per batch of incoming frames: tops the window up in one write, or finishes.
    const pump = (): void => {
      pumpScheduled = false;
      if (sending && (sent >= options.maxTasks || performance.now() >= deadline)) sending = false;
      if (!sending) {
        // Done when the master heard of every completion and every child had its result acknowledged.
        if (completed === sent && acked === sent && finished() === sent) {
          const seconds = (performance.now() - started) / 1000;
          resolve({ tasks: sent, seconds, rate: sent / seconds, perChild: done });
        }
        return;
      }
      const room = Math.min(options.window - (sent - completed), options.maxTasks - sent);
      if (room <= 0) return;
      const frames = new Array<string>(room);
      for (let i = 0; i < room; i++) frames[i] = sendFrame(options.role, ++sent);
      master.sendBatch(frames);
    };
    const schedulePump = (): void => {
      if (pumpScheduled) return;
      pumpScheduled = true;
      process.nextTick(pump);
    };

    master.ws.on('message', (data: Buffer) => {
      if (startsWith(data, COMPLETED)) {
        completed++;
        schedulePump();
        return;
      }
      if (startsWith(data, TASK_UPDATED)) return;
      if (!startsWith(data, ACK) || data.indexOf(DUPLICATE_FALSE) < 0) return fail(`the master got ${data.toString('utf8').slice(0, 300)}`);
      acked++;
      schedulePump();
    });
    children.forEach((child, index) => work(child, index, done, { fail, finished: schedulePump }));
    for (const client of [master, ...children]) {
      client.ws.on('close', (code, reason) => {
        if (sending || completed < sent) fail(`a connection closed during the run: ${code} ${reason.toString('utf8')}`);
      });
    }
    pump();
  });
}

export function measureTaskLatency(hub: HubProcess, options: TaskLatencyOptions): Promise<TaskLatencyResult> {
  return withAgents(hub, options, `bench-tasks-latency-${options.role}`, async (master, children) => {
    const warmup = Math.round(options.ratePerSecond * options.warmupSeconds);
    const total = warmup + Math.round(options.ratePerSecond * options.seconds);
    const sentAt = new Float64Array(total + 1);
    const assignNs = new Float64Array(total + 1);
    const completeNs = new Float64Array(total + 1);
    const done = new Array<number>(children.length).fill(0);
    let assigned = 0;
    let completed = 0;
    let hubBefore = 0;
    let measureStart = 0;
    const lateness: number[] = [];

    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (assigned === total && completed === total && done.reduce((a, b) => a + b, 0) === total) resolve();
      };
      const fail = (message: string): void => reject(new Error(message));
      master.ws.on('message', (data: Buffer) => {
        if (startsWith(data, COMPLETED)) {
          const index = intAfter(data, INDEX_KEY);
          completeNs[index] = nowNs() - (sentAt[index] as number);
          completed++;
          check();
          return;
        }
        if (startsWith(data, TASK_UPDATED)) return;
        if (!startsWith(data, ACK) || data.indexOf(DUPLICATE_FALSE) < 0) fail(`the master got ${data.toString('utf8').slice(0, 300)}`);
      });
      const assignedAt = (task: number): void => {
        assignNs[task] = nowNs() - (sentAt[task] as number);
        assigned++;
      };
      children.forEach((child, index) => work(child, index, done, { fail, assigned: assignedAt, finished: check }));

      // Each tick sends as many tasks as the rate says should have gone by now.
      let sent = 0;
      const start = nowNs();
      let lastTick = start;
      // The CPU figure covers the measured part: it restarts when the warm-up's last task has gone.
      hubBefore = hub.procCpuSeconds();
      measureStart = start;
      const timer = setInterval(() => {
        const tick = nowNs();
        lateness.push(Math.max(0, tick - lastTick - TICK_MS * 1e6));
        lastTick = tick;
        const due = Math.min(total, Math.floor(((nowNs() - start) / 1e9) * options.ratePerSecond));
        if (due <= sent) return;
        if (sent < warmup && due >= warmup) {
          hubBefore = hub.procCpuSeconds();
          measureStart = nowNs();
        }
        const frames: string[] = [];
        while (sent < due) frames.push(sendFrame(options.role, ++sent));
        const stamp = nowNs();
        for (let i = sent - frames.length + 1; i <= sent; i++) sentAt[i] = stamp;
        master.sendBatch(frames);
        if (sent === total) {
          clearInterval(timer);
          setTimeout(() => reject(new Error(`only ${assigned} assigned and ${completed} completed of ${total}`)), DRAIN_TIMEOUT_MS).unref();
        }
      }, TICK_MS);
    });
    const seconds = (nowNs() - measureStart) / 1e9;
    return {
      tasks: total - warmup,
      sent: total,
      assign: percentiles(assignNs.subarray(warmup + 1)),
      complete: percentiles(completeNs.subarray(warmup + 1)),
      timerLateness: percentiles(Float64Array.from(lateness)),
      hubCpu: (hub.procCpuSeconds() - hubBefore) / seconds,
    };
  });
}
