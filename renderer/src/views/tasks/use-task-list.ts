/** A page of tasks from the hub with the live pushes laid over it, and the hub's counts by state. */
import { useMemo } from 'react';
import { httpRoutes, type TaskRecord, type TaskState } from '../../../../shared/index.js';
import type { HubRequestError } from '../../api/http.js';
import { useHubQuery } from '../../components/use-hub-query.js';
import { useStore } from '../../store/store.js';
import { overlayTasks, type TaskFilter } from './task-list-model.js';

export interface TaskList {
  /** Latest change first. */
  tasks: TaskRecord[];
  counts: Partial<Record<TaskState, number>>;
  /** The hub answered at least once. */
  loaded: boolean;
  error: HubRequestError | undefined;
}

/** Counts and the rows a push cannot reach (e.g. tasks changed before this window connected) are refreshed this often. */
const REFRESH_MS = 5000;

export function useTaskList(filter: TaskFilter, limit: number): TaskList {
  const query = useHubQuery(httpRoutes.listTasks, { query: { ...filter, limit }, refreshMs: REFRESH_MS });
  const pushed = useStore((s) => s.tasks);
  const fetched = query.data?.tasks;
  const { state, from, to, cmd } = filter;
  const tasks = useMemo(() => overlayTasks(fetched ?? [], pushed, { state, from, to, cmd }, limit), [fetched, pushed, state, from, to, cmd, limit]);
  return { tasks, counts: query.data?.counts ?? {}, loaded: query.data !== undefined, error: query.error };
}
