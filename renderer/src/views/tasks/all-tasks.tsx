/** Every task, filtered and sorted, newest change first by default; pushed changes and new tasks show at once. */
import { useMemo, useState } from 'react';
import { EmptyState } from '../../components/empty-state.js';
import { HubErrorText } from '../../components/hub-error-text.js';
import type { ListedAgent } from '../agents/agent-list-model.js';
import { EMPTY_DRAFT, TaskFilters, type FilterDraft } from './task-filters.js';
import { DEFAULT_SORT, sortTasks, type TaskFilter, type TaskSort } from './task-list-model.js';
import { TaskTable } from './task-table.js';
import { useDebounced } from './use-debounced.js';
import { useTaskList } from './use-task-list.js';

const DEFAULT_LIMIT = 200;
const TYPING_PAUSE_MS = 300;

function toFilter(draft: FilterDraft): TaskFilter {
  const text = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());
  return { state: draft.state === '' ? undefined : draft.state, from: text(draft.from), to: text(draft.to), cmd: text(draft.cmd) };
}

interface AllTasksProps {
  agents: readonly ListedAgent[];
  selectedId: string | undefined;
}

export function AllTasks({ agents, selectedId }: AllTasksProps) {
  const [draft, setDraft] = useState<FilterDraft>(EMPTY_DRAFT);
  const [limit, setLimit] = useState(DEFAULT_LIMIT);
  const [sort, setSort] = useState<TaskSort>(DEFAULT_SORT);
  // The state select applies at once; typed names wait for a pause in typing.
  const from = useDebounced(draft.from, TYPING_PAUSE_MS);
  const to = useDebounced(draft.to, TYPING_PAUSE_MS);
  const cmd = useDebounced(draft.cmd, TYPING_PAUSE_MS);
  const filter = useMemo(() => toFilter({ state: draft.state, from, to, cmd }), [draft.state, from, to, cmd]);
  const { tasks, counts, loaded, error } = useTaskList(filter, limit);
  const sorted = useMemo(() => sortTasks(tasks, sort), [tasks, sort]);
  const cmds = useMemo(() => [...new Set(tasks.map((task) => task.cmd))].sort(), [tasks]);
  const agentIds = useMemo(() => agents.map((agent) => agent.id), [agents]);
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const filtered = Object.values(filter).some((value) => value !== undefined);

  return (
    <>
      <TaskFilters draft={draft} onDraft={setDraft} counts={counts} agentIds={agentIds} cmds={cmds} limit={limit} onLimit={setLimit} />
      <HubErrorText error={error} />
      {!loaded ? null : sorted.length > 0 ? (
        <TaskTable tasks={sorted} sort={sort} onSort={setSort} selectedId={selectedId} list="all" />
      ) : total === 0 && !filtered ? (
        <EmptyState title="No tasks yet">
          A master hands one to an agent with <code>task_send</code> (see the README) or run <code>npm run demo</code>.
        </EmptyState>
      ) : (
        <EmptyState title="No tasks match these filters">
          <button type="button" onClick={() => setDraft(EMPTY_DRAFT)}>
            Clear filters
          </button>
        </EmptyState>
      )}
    </>
  );
}
