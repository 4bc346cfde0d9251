/**
 * The task table's data, pure: the hub's filters mirrored for pushed tasks, pushed tasks laid over a
 * fetched page (whichever copy changed last wins), and the table's sort orders.
 */
import { isTerminal, TASK_STATES, type TaskRecord, type TaskState } from '../../../../shared/index.js';

export interface TaskFilter {
  state?: TaskState | undefined;
  from?: string | undefined;
  /** As on the hub: the task's target or the agent holding it. */
  to?: string | undefined;
  cmd?: string | undefined;
}

export function matchesFilter(task: TaskRecord, filter: TaskFilter): boolean {
  if (filter.state !== undefined && task.state !== filter.state) return false;
  if (filter.from !== undefined && task.from !== filter.from) return false;
  if (filter.to !== undefined && task.to !== filter.to && task.assigned_to !== filter.to) return false;
  if (filter.cmd !== undefined && task.cmd !== filter.cmd) return false;
  return true;
}

/** The later of two copies of a task; a pushed copy wins a tie, as it is never older than the hub's answer. */
export function newerTask(fetched: TaskRecord | undefined, pushed: TaskRecord | undefined): TaskRecord | undefined {
  if (fetched === undefined) return pushed;
  if (pushed === undefined) return fetched;
  return pushed.updated_at >= fetched.updated_at ? pushed : fetched;
}

/**
 * The fetched page with every pushed task laid over it: changed rows take the pushed copy, new tasks that
 * match the filter join, and tasks that no longer match leave. At most `limit`, latest change first.
 */
export function overlayTasks(fetched: readonly TaskRecord[], pushed: Readonly<Record<string, TaskRecord>>, filter: TaskFilter, limit: number): TaskRecord[] {
  const byId = new Map<string, TaskRecord>();
  for (const task of fetched) byId.set(task.task_id, task);
  for (const task of Object.values(pushed)) {
    const latest = newerTask(byId.get(task.task_id), task);
    if (latest !== undefined) byId.set(task.task_id, latest);
  }
  return [...byId.values()]
    .filter((task) => matchesFilter(task, filter))
    .sort(byLatestChange)
    .slice(0, limit);
}

function byLatestChange(a: TaskRecord, b: TaskRecord): number {
  return a.updated_at < b.updated_at ? 1 : a.updated_at > b.updated_at ? -1 : 0;
}

export const SORT_KEYS = ['task_id', 'cmd', 'route', 'assigned_to', 'state', 'attempts', 'priority', 'updated_at'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = 'ascending' | 'descending';
export interface TaskSort {
  key: SortKey;
  direction: SortDirection;
}

export const DEFAULT_SORT: TaskSort = { key: 'updated_at', direction: 'descending' };

/** Numbers and times read best largest or latest first; names A to Z. */
export function firstDirection(key: SortKey): SortDirection {
  return key === 'attempts' || key === 'priority' || key === 'updated_at' ? 'descending' : 'ascending';
}

/** Clicking a header: the same column flips, another starts in its natural direction. */
export function nextSort(current: TaskSort, key: SortKey): TaskSort {
  if (current.key !== key) return { key, direction: firstDirection(key) };
  return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
}

function sortValue(task: TaskRecord, key: SortKey): string | number {
  switch (key) {
    case 'route':
      return `${task.from}\u0000${task.to}`;
    case 'assigned_to':
      return task.assigned_to ?? '';
    case 'state':
      return TASK_STATES.indexOf(task.state);
    default:
      return task[key];
  }
}

export function sortTasks(tasks: readonly TaskRecord[], sort: TaskSort): TaskRecord[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return [...tasks].sort((a, b) => {
    const x = sortValue(a, sort.key);
    const y = sortValue(b, sort.key);
    if (x === y) return byLatestChange(a, b);
    return (x < y ? -1 : 1) * sign;
  });
}

/**
 * A task's attempts for a table cell. A finished task shows the attempts it was actually given ("3 attempts"):
 * "1/3" on a failed task reads as if two more were coming. A task still running shows how many it may have left.
 */
export function attemptsText(task: Pick<TaskRecord, 'state' | 'attempts' | 'max_attempts'>): string {
  if (isTerminal(task.state)) return `${task.attempts} ${task.attempts === 1 ? 'attempt' : 'attempts'}`;
  return `${task.attempts} of ${task.max_attempts}`;
}
