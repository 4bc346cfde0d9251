/**
 * A task worker: `handle(cmd, fn)` accepts matching tasks, runs `fn` with progress, questions and a cancel
 * signal, and reports the result until the hub confirms it. Finished tasks are remembered (on disk in
 * Node), so a worker that restarts never runs a finished task again — it only reports the result again.
 */
import type { TaskRecord } from '../index.js';
import type { Frame, SwitchboardClient } from './client.js';
import { DISCONNECTED, HubError } from './errors.js';

export interface FinishedTask {
  status: 'completed' | 'failed';
  result?: unknown;
  error?: string;
  /** True once the hub acknowledged the result. */
  confirmed: boolean;
}

/** The worker's memory of finished tasks: in memory by default, a file in Node. */
export interface FinishedTasks {
  get(taskId: string): FinishedTask | undefined;
  set(taskId: string, entry: FinishedTask): void;
  entries(): [string, FinishedTask][];
}

export function memoryFinishedTasks(): FinishedTasks {
  const map = new Map<string, FinishedTask>();
  return { get: (id) => map.get(id), set: (id, entry) => void map.set(id, entry), entries: () => [...map] };
}

export interface TaskContext {
  /** Reports progress; also keeps the task's lease alive. */
  progress(value?: unknown, message?: string): Promise<void>;
  /** Asks the master a question and waits for its answer. */
  ask(question: string): Promise<unknown>;
  /** Aborted when the task is canceled or taken back. */
  signal: AbortSignal;
}

export type TaskHandler = (task: TaskRecord, ctx: TaskContext) => unknown;

interface Running {
  controller: AbortController;
  answer: ((value: unknown) => void) | undefined;
}

export class TaskWorker {
  private readonly client: SwitchboardClient;
  private readonly finished: FinishedTasks;
  private readonly handlers = new Map<string, TaskHandler>();
  private readonly running = new Map<string, Running>();
  private readonly reporting = new Set<string>();

  constructor(client: SwitchboardClient, finished: FinishedTasks = memoryFinishedTasks()) {
    this.client = client;
    this.finished = finished;
    client.on('frame', (frame) => this.onFrame(frame));
    client.on('status', (status) => {
      if (status === 'connected') this.reportUnconfirmed();
    });
    if (client.status === 'connected') this.reportUnconfirmed();
  }

  handle(cmd: string, handler: TaskHandler): this {
    this.handlers.set(cmd, handler);
    return this;
  }

  private onFrame(frame: Frame): void {
    const taskId = frame['task_id'];
    if (frame.type === 'task_assigned') void this.run(frame['task'] as TaskRecord);
    else if (frame.type === 'task_input' && typeof taskId === 'string') this.running.get(taskId)?.answer?.(frame['answer']);
    else if ((frame.type === 'task_canceled' || frame.type === 'task_revoked') && typeof taskId === 'string') {
      this.running.get(taskId)?.controller.abort(new Error(String(frame['reason'] ?? frame.type)));
    }
  }

  /** Started for each offer without waiting; never rejects: a handler that throws fails the task. */
  private async run(task: TaskRecord): Promise<void> {
    const id = task.task_id;
    if (this.finished.get(id) !== undefined) {
      // Finished before (a restart, or a lost ack): report the remembered result; never run it twice.
      this.finished.set(id, { ...(this.finished.get(id) as FinishedTask), confirmed: false });
      void this.report(id);
      return;
    }
    if (this.running.has(id)) return;
    const handler = this.handlers.get(task.cmd);
    if (handler === undefined) {
      await this.client.request({ type: 'task_reject', task_id: id, reason: `no handler for "${task.cmd}"` }).catch(() => {});
      return;
    }
    try {
      await this.client.request({ type: 'task_accept', task_id: id });
    } catch {
      return;
    }
    const running: Running = { controller: new AbortController(), answer: undefined };
    this.running.set(id, running);
    const ctx: TaskContext = {
      signal: running.controller.signal,
      progress: async (value, message) => {
        await this.client.request({
          type: 'task_progress',
          task_id: id,
          ...(value === undefined ? {} : { progress: value }),
          ...(message === undefined ? {} : { message }),
        });
      },
      ask: async (question) => {
        const answered = new Promise<unknown>((resolve) => (running.answer = resolve));
        await this.client.request({ type: 'task_input_required', task_id: id, question });
        return answered;
      },
    };
    let outcome: FinishedTask;
    try {
      outcome = { status: 'completed', result: await handler(task, ctx), confirmed: false };
    } catch (error) {
      outcome = { status: 'failed', error: error instanceof Error ? error.message : String(error), confirmed: false };
    } finally {
      this.running.delete(id);
    }
    if (running.controller.signal.aborted) return;
    this.finished.set(id, outcome);
    await this.report(id);
  }

  /** Sends the remembered result until the hub acknowledges it (or refuses it for good); never rejects. */
  private async report(id: string): Promise<void> {
    const entry = this.finished.get(id);
    if (entry === undefined || entry.confirmed || this.reporting.has(id)) return;
    this.reporting.add(id);
    try {
      const frame: Record<string, unknown> & { type: string } = { type: 'task_result', task_id: id, status: entry.status };
      if (entry.result !== undefined) frame['result'] = entry.result;
      if (entry.error !== undefined) frame['error'] = entry.error;
      await this.client.request(frame);
      this.finished.set(id, { ...entry, confirmed: true });
    } catch (error) {
      // Disconnected: reported again when the client reconnects. Refused (e.g. canceled): nothing to do.
      if (!(error instanceof HubError && error.code === DISCONNECTED)) this.finished.set(id, { ...entry, confirmed: true });
    } finally {
      this.reporting.delete(id);
    }
  }

  private reportUnconfirmed(): void {
    for (const [id, entry] of this.finished.entries()) if (!entry.confirmed) void this.report(id);
  }
}
