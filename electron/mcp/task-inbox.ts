/**
 * Tasks the hub offers to this session's connection, held until take_task accepts one, and the answers to
 * questions asked with ask_for_input. An offer comes with a lease (taskLeaseMs): one nobody took before its
 * lease ends is let go, so the hub offers it again (here or to another matching agent) instead of it
 * sitting here unseen. An offer beyond the inbox's capacity is rejected with the reason.
 */
import { HubError, type Frame, type SwitchboardClient } from '../../shared/client/index.js';
import type { TaskRecord } from '../../shared/index.js';
import { wakeableWait, type Wait } from './wakeable-wait.js';

const CAPACITY = 32;
/** An offer is let go this long before its lease ends, so an accept never races the expiry. */
const LEASE_MARGIN_MS = 500;
/** Refusals that mean the offer is gone (taken back, canceled, finished): try the next one. */
const GONE = new Set(['SB_ERR_CONFLICT', 'SB_ERR_FORBIDDEN', 'SB_ERR_NOT_FOUND']);

export type TaskInbox = ReturnType<typeof createTaskInbox>;

export function createTaskInbox(client: SwitchboardClient) {
  const offers = new Map<string, { task: TaskRecord; timer: NodeJS.Timeout }>();
  const answers = new Map<string, unknown[]>();
  const waits = new Set<Wait>();
  const wakeAll = (): void => {
    for (const wait of waits) wait.wake();
  };

  const drop = (taskId: string): void => {
    clearTimeout(offers.get(taskId)?.timer);
    offers.delete(taskId);
  };

  const offered = (task: TaskRecord, leaseUntil: string | null): void => {
    if (offers.size >= CAPACITY) {
      void client
        .request({ type: 'task_reject', task_id: task.task_id, reason: `the MCP inbox of "${client.agent ?? ''}" holds ${CAPACITY} untaken tasks` })
        .catch(() => {});
      return;
    }
    const left = (leaseUntil === null ? Number.POSITIVE_INFINITY : Date.parse(leaseUntil) - Date.now()) - LEASE_MARGIN_MS;
    if (left <= 0) return;
    drop(task.task_id);
    offers.set(task.task_id, { task, timer: setTimeout(() => drop(task.task_id), Math.min(left, 2 ** 31 - 1)) });
    wakeAll();
  };

  const stopListening = client.on('frame', (frame: Frame) => {
    const taskId = frame['task_id'];
    if (frame.type === 'task_assigned') offered(frame['task'] as TaskRecord, frame['lease_until'] as string | null);
    else if ((frame.type === 'task_revoked' || frame.type === 'task_canceled') && typeof taskId === 'string') drop(taskId);
    else if (frame.type === 'task_input' && typeof taskId === 'string') {
      answers.set(taskId, [...(answers.get(taskId) ?? []), frame['answer']]);
      wakeAll();
    }
  });

  /** The offer to take next: highest priority, then the oldest. */
  const next = (): TaskRecord | undefined => {
    let best: TaskRecord | undefined;
    for (const { task } of offers.values()) if (best === undefined || task.priority > best.priority) best = task;
    if (best !== undefined) drop(best.task_id);
    return best;
  };

  /** Waits up to `ms` for `ready` to hold, checking again whenever the inbox changes. */
  const until = async <T>(ready: () => Promise<T | undefined> | T | undefined, ms: number, signal: AbortSignal): Promise<T | undefined> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const wait = wakeableWait(deadline - Date.now(), signal);
      waits.add(wait);
      try {
        const value = await ready();
        if (value !== undefined || Date.now() >= deadline || signal.aborted) return value;
        await wait.done;
      } finally {
        waits.delete(wait);
        wait.wake();
      }
    }
  };

  return {
    /** Accepts the next offer (waiting up to `ms` for one) and returns the task, now working; undefined if none came. */
    take(ms: number, signal: AbortSignal): Promise<TaskRecord | undefined> {
      return until(
        async () => {
          for (let task = next(); task !== undefined; task = next()) {
            try {
              return (await client.request({ type: 'task_accept', task_id: task.task_id }))['task'] as TaskRecord;
            } catch (error) {
              if (!(error instanceof HubError && GONE.has(error.code))) throw error;
            }
          }
          return undefined;
        },
        ms,
        signal,
      );
    },
    /** The master's answers to this task's questions so far, oldest first. */
    answers(taskId: string): unknown[] {
      return answers.get(taskId) ?? [];
    },
    /** Waits up to `ms` for an answer beyond the first `known` ones. */
    nextAnswer(taskId: string, known: number, ms: number, signal: AbortSignal): Promise<{ answer: unknown } | undefined> {
      return until(() => ((answers.get(taskId)?.length ?? 0) > known ? { answer: answers.get(taskId)?.[known] } : undefined), ms, signal);
    },
    /** Forgets a finished task's answers. */
    finished(taskId: string): void {
      answers.delete(taskId);
    },
    close(): void {
      stopListening();
      for (const taskId of [...offers.keys()]) drop(taskId);
      wakeAll();
    },
  };
}
