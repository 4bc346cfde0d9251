/**
 * Which tasks have been retried, and by which task: found among the latest tasks the hub lists and every
 * task pushed since (the list has no filter by `retry_of`; a task's lineage has every retry of it). A retry
 * is always newer than what it retries.
 */
import { useMemo } from 'react';
import { httpRoutes, type TaskRecord } from '../../../../shared/index.js';
import { useHubQuery } from '../../components/use-hub-query.js';
import { useStore } from '../../store/store.js';

/** How many of the latest tasks are searched. */
const LINEAGE_LIMIT = 1000;

/** Retried task id → its retries, oldest first. Pushes keep it current; `refreshMs` also reads the list again. */
export function useRetries(refreshMs?: number): Map<string, TaskRecord[]> {
  const latest = useHubQuery(httpRoutes.listTasks, { query: { limit: LINEAGE_LIMIT }, ...(refreshMs === undefined ? {} : { refreshMs }) });
  const pushed = useStore((s) => s.tasks);
  const fetched = latest.data?.tasks;
  return useMemo(() => {
    const byId = new Map<string, TaskRecord>();
    for (const task of fetched ?? []) if (task.retry_of !== null) byId.set(task.task_id, task);
    for (const task of Object.values(pushed)) if (task.retry_of !== null) byId.set(task.task_id, task);
    const retries = new Map<string, TaskRecord[]>();
    for (const task of [...byId.values()].sort((a, b) => (a.created_at < b.created_at ? -1 : 1))) {
      const retryOf = task.retry_of ?? '';
      retries.set(retryOf, [...(retries.get(retryOf) ?? []), task]);
    }
    return retries;
  }, [fetched, pushed]);
}
