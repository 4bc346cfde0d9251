/** The task table: one row per task, its state as a chip, sortable by any column from the keyboard too. */
import { memo } from 'react';
import type { TaskRecord } from '../../../../shared/index.js';
import { formatAgo, formatDateTime } from '../../components/format.js';
import { StateChip } from '../../components/state-chip.js';
import { shortTaskId, taskHref, type TaskListKind } from './task-links.js';
import { attemptsText, nextSort, type SortKey, type TaskSort } from './task-list-model.js';

/** Columns the detail panel also shows; they make way for it while it is open beside the table. */
const BESIDE_DETAIL_HIDDEN = 'hidden-beside-detail';

const COLUMNS: { key: SortKey; label: string; className?: string }[] = [
  { key: 'task_id', label: 'Task' },
  { key: 'cmd', label: 'Command' },
  { key: 'route', label: 'From → to', className: BESIDE_DETAIL_HIDDEN },
  { key: 'assigned_to', label: 'Assigned to', className: BESIDE_DETAIL_HIDDEN },
  { key: 'state', label: 'State' },
  { key: 'attempts', label: 'Attempts' },
  { key: 'priority', label: 'Priority', className: BESIDE_DETAIL_HIDDEN },
  { key: 'updated_at', label: 'Updated' },
];

interface TaskTableProps {
  tasks: readonly TaskRecord[];
  sort: TaskSort;
  onSort(sort: TaskSort): void;
  selectedId: string | undefined;
  list: TaskListKind;
}

export function TaskTable({ tasks, sort, onSort, selectedId, list }: TaskTableProps) {
  return (
    <div className="table-scroll">
      <table className="task-table">
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <th key={column.key} scope="col" className={column.className} aria-sort={sort.key === column.key ? sort.direction : 'none'}>
                <button type="button" onClick={() => onSort(nextSort(sort, column.key))}>
                  {column.label}
                  <span className="sort-mark" aria-hidden="true">
                    {sort.key !== column.key ? '' : sort.direction === 'ascending' ? ' ▲' : ' ▼'}
                  </span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => (
            <TaskRow key={task.task_id} task={task} selected={task.task_id === selectedId} list={list} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Memoised: a push changes one task's object, so only that row renders again. */
const TaskRow = memo(function TaskRow({ task, selected, list }: { task: TaskRecord; selected: boolean; list: TaskListKind }) {
  const link = taskHref(task.task_id, list);
  return (
    <tr
      className="selectable"
      data-testid="task-row"
      data-task-id={task.task_id}
      aria-selected={selected}
      onClick={(event) => {
        // The id cell is a real link (keyboard, middle click); a click elsewhere on the row opens the task too.
        if (!(event.target instanceof HTMLAnchorElement)) window.location.hash = link;
      }}
    >
      <td className="mono nowrap">
        <a href={link} title={task.task_id}>
          {shortTaskId(task.task_id)}
        </a>
      </td>
      <td>{task.cmd}</td>
      <td className={`nowrap ${BESIDE_DETAIL_HIDDEN}`}>
        {task.from} → {task.to}
      </td>
      <td className={BESIDE_DETAIL_HIDDEN}>{task.assigned_to ?? <span className="muted">—</span>}</td>
      <td>
        <StateChip state={task.state} />
      </td>
      <td className="num nowrap" data-testid="task-attempts" title={`at most ${task.max_attempts}`}>
        {attemptsText(task)}
      </td>
      <td className={`num ${BESIDE_DETAIL_HIDDEN}`}>{task.priority}</td>
      <td className="nowrap" title={formatDateTime(task.updated_at)}>
        {formatAgo(task.updated_at)}
      </td>
    </tr>
  );
});
