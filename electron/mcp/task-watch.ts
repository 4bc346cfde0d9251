/**
 * Task changes the hub pushes as `task_updated`: a master's connections get its own tasks' changes; for
 * anyone else's task the session asks for every task's changes, once, and again after a reconnect.
 */
import type { Frame, SwitchboardClient } from '../../shared/client/index.js';
import { isTerminal, type TaskAttempt, type TaskRecord } from '../../shared/index.js';
import { wakeableWait } from './wakeable-wait.js';

export type TaskWatch = ReturnType<typeof createTaskWatch>;

/** Where a master stops waiting: the task is finished, or its child asked a question only the master can answer. */
export const settled = (task: TaskRecord): boolean => isTerminal(task.state) || task.state === 'input-required';

export function createTaskWatch(client: SwitchboardClient, agent: string) {
  const listeners = new Set<(task: TaskRecord) => void>();
  let watchingAll = false;
  const watchAllFrame = { type: 'subscribe', tasks: true };

  client.on('frame', (frame: Frame) => {
    if (frame.type !== 'task_updated') return;
    for (const listener of listeners) listener(frame['task'] as TaskRecord);
  });
  client.on('status', (status) => {
    if (status === 'connected' && watchingAll) void client.request(watchAllFrame).catch(() => {});
  });

  const get = async (taskId: string): Promise<{ task: TaskRecord; attempts: TaskAttempt[] }> => {
    const reply = await client.request({ type: 'task_get', task_id: taskId });
    return { task: reply['task'] as TaskRecord, attempts: reply['attempts'] as TaskAttempt[] };
  };

  const watch = {
    get,
    listen(listener: (task: TaskRecord) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Makes sure changes of a task sent by another agent reach this session too. */
    async follow(task: TaskRecord): Promise<void> {
      if (task.from === agent || watchingAll) return;
      watchingAll = true;
      await client.request(watchAllFrame);
    },
    /** The task once `done` holds for it, or as it is when `ms` ran out. */
    async waitUntil(taskId: string, done: (task: TaskRecord) => boolean, ms: number, signal: AbortSignal): Promise<TaskRecord> {
      const wait = wakeableWait(ms, signal);
      let latest: TaskRecord | undefined;
      const stop = watch.listen((task) => {
        if (task.task_id !== taskId) return;
        latest = task;
        if (done(task)) wait.wake();
      });
      try {
        let { task } = await get(taskId);
        if (task.from !== agent && !watchingAll) {
          await watch.follow(task);
          ({ task } = await get(taskId));
        }
        // Changes pushed before the reply are older than it; only later ones count.
        latest = undefined;
        if (done(task)) return task;
        await wait.done;
        return latest ?? task;
      } finally {
        stop();
        wait.wake();
      }
    },
  };
  return watch;
}
