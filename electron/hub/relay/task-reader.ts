/**
 * Reads of tasks on behalf of a caller: one task, a filtered list and the counts per state, each limited
 * to what the caller may see (see task-visibility). A task the caller may not see is "not found", so its
 * id does not tell that it exists.
 */
import { SwitchboardError } from '../../../shared/index.js';
import type { Task, TaskFilter, TaskStore } from '../store/task-store.js';
import { declaredRoles, maySeeTask, type TaskViewer } from './task-visibility.js';

/** Who asks: an agent name, and whether it holds the admin token or a browser session. */
export interface TaskCaller {
  agent: string;
  admin: boolean;
}

/** An agent's declared profile, if it ever said hello. */
export type ProfileOf = (agent: string) => { kind: string | null; capabilities: readonly string[] } | undefined;

export type TaskReader = ReturnType<typeof createTaskReader>;

export function createTaskReader(deps: { tasks: TaskStore; profileOf: ProfileOf }) {
  const { tasks } = deps;

  const viewer = (caller: TaskCaller): TaskViewer =>
    caller.admin ? { agent: caller.agent, all: true, roles: [] } : { agent: caller.agent, all: false, roles: declaredRoles(deps.profileOf(caller.agent)) };

  /** The SQL side of the rule for lists and counts: undefined for a caller who sees everything. */
  const scope = (caller: TaskCaller): { agent: string; roles: readonly string[] } | undefined => {
    const v = viewer(caller);
    return v.all ? undefined : { agent: v.agent, roles: v.roles };
  };

  const maySee = (caller: TaskCaller, task: Task): boolean => maySeeTask(viewer(caller), task, () => tasks.attempts(task.task_id).map((a) => a.agent));

  return {
    viewer,
    maySee,
    /** The task, if it exists and `caller` may see it; else SB_ERR_NOT_FOUND. */
    get(caller: TaskCaller, taskId: string): Task {
      const task = tasks.get(taskId);
      if (task === undefined || !maySee(caller, task)) throw notFound(taskId);
      return task;
    },
    list(caller: TaskCaller, filter: Omit<TaskFilter, 'visibleTo'>): Task[] {
      return tasks.list({ ...filter, visibleTo: scope(caller) });
    },
    counts(caller: TaskCaller): Record<string, number> {
      return tasks.countByState(scope(caller));
    },
  };
}

export function notFound(taskId: string): SwitchboardError {
  return new SwitchboardError('SB_ERR_NOT_FOUND', `no task "${taskId}"`);
}
