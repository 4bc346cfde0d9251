/**
 * The dead letter: failed tasks, with why they failed and how often they were tried, and a retry or redrive
 * on each row (in the task panel instead while it is open beside the table). Tasks already retried are hidden
 * unless asked for.
 */
import { memo, useState } from 'react';
import type { TaskRecord } from '../../../../shared/index.js';
import { EmptyState } from '../../components/empty-state.js';
import { formatAgo, formatDateTime } from '../../components/format.js';
import { HubErrorText } from '../../components/hub-error-text.js';
import { StateChip } from '../../components/state-chip.js';
import type { ListedAgent } from '../agents/agent-list-model.js';
import { TaskActions } from './task-actions.js';
import { attemptsText } from './task-list-model.js';
import { shortTaskId, taskHref } from './task-links.js';
import { useRetries } from './use-retries.js';
import { useTaskList } from './use-task-list.js';

const FAILED = { state: 'failed' } as const;
const LIMIT = 500;
const LINEAGE_REFRESH_MS = 10_000;

export function DeadLetter({ agents, selectedId }: { agents: readonly ListedAgent[]; selectedId: string | undefined }) {
  const { tasks, loaded, error } = useTaskList(FAILED, LIMIT);
  const retries = useRetries(LINEAGE_REFRESH_MS);
  const [showRetried, setShowRetried] = useState(false);
  const retriedCount = tasks.filter((task) => retries.has(task.task_id)).length;
  const shown = showRetried ? tasks : tasks.filter((task) => !retries.has(task.task_id));

  return (
    <>
      <div className="toolbar">
        <span className="muted">Failed tasks: an agent reported failure, or nobody finished them within their attempts.</span>
        <label>
          <input type="checkbox" checked={showRetried} onChange={(event) => setShowRetried(event.target.checked)} /> Include ones already retried (
          {retriedCount})
        </label>
      </div>
      <HubErrorText error={error} />
      {!loaded ? null : shown.length === 0 ? (
        <EmptyState title="The dead letter is empty">{tasks.length === 0 ? 'No task has failed.' : 'Every failed task has been retried.'}</EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="task-table">
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">Command</th>
                <th scope="col" className="hidden-beside-detail">
                  From → to
                </th>
                <th scope="col">State</th>
                <th scope="col">Attempts</th>
                <th scope="col">Error</th>
                <th scope="col">Failed</th>
                <th scope="col" className="hidden-beside-detail">
                  Retry or redrive
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((task) => (
                <DeadLetterRow
                  key={task.task_id}
                  task={task}
                  retry={retries.get(task.task_id)?.at(-1)}
                  agents={agents}
                  selected={task.task_id === selectedId}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

interface DeadLetterRowProps {
  task: TaskRecord;
  retry: TaskRecord | undefined;
  agents: readonly ListedAgent[];
  selected: boolean;
}

const DeadLetterRow = memo(function DeadLetterRow({ task, retry, agents, selected }: DeadLetterRowProps) {
  const link = taskHref(task.task_id, 'dead-letter');
  return (
    <tr
      className="selectable"
      data-testid="task-row"
      data-task-id={task.task_id}
      aria-selected={selected}
      onClick={(event) => {
        if (event.target instanceof HTMLElement && event.target.closest('a, button, select, input, label') === null) window.location.hash = link;
      }}
    >
      <td className="mono nowrap">
        <a href={link} title={task.task_id}>
          {shortTaskId(task.task_id)}
        </a>
      </td>
      <td>{task.cmd}</td>
      <td className="nowrap hidden-beside-detail">
        {task.from} → {task.to}
      </td>
      <td>
        <StateChip state={task.state} />
      </td>
      <td className="num nowrap" data-testid="task-attempts" title={`at most ${task.max_attempts}`}>
        {attemptsText(task)}
      </td>
      <td className="dead-error">{task.error ?? '—'}</td>
      <td className="nowrap" title={formatDateTime(task.finished_at)}>
        {formatAgo(task.finished_at ?? task.updated_at)}
      </td>
      <td className="hidden-beside-detail">
        {retry === undefined ? null : (
          <p className="muted">
            retried as{' '}
            <a href={taskHref(retry.task_id, 'dead-letter')} className="mono" title={retry.task_id}>
              {shortTaskId(retry.task_id)}
            </a>{' '}
            <StateChip state={retry.state} testId="retry-state" />
          </p>
        )}
        <TaskActions task={task} agents={agents} list="dead-letter" compact />
      </td>
    </tr>
  );
});
