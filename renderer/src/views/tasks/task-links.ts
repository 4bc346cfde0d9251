/** Where a task opens: its detail, keeping the list the person came from (all tasks or the dead letter). */
import { href } from '../../route-paths.js';

export type TaskListKind = 'all' | 'dead-letter';

function listQuery(list: TaskListKind): Record<string, string> | undefined {
  return list === 'dead-letter' ? { view: 'dead-letter' } : undefined;
}

export function taskHref(taskId: string, list: TaskListKind = 'all'): string {
  return href('tasks', taskId, listQuery(list));
}

export function taskListHref(list: TaskListKind): string {
  return href('tasks', undefined, listQuery(list));
}

/** The hub's ids are long (`t_<ms><hub><counter>`); the end tells tasks apart, the whole id is in the title. */
export function shortTaskId(taskId: string): string {
  return taskId.length > 12 ? `…${taskId.slice(-10)}` : taskId;
}
