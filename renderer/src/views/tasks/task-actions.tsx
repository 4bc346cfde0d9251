/**
 * What the person may do with a task, shown only where its state allows: cancel an open task, retry a
 * finished one as it was, or redrive it to another agent. Each retry is a new task linked to this one.
 */
import { useId, useState } from 'react';
import { httpRoutes, isTerminal, nextState, type TaskRecord } from '../../../../shared/index.js';
import { api } from '../../api/http.js';
import { HubErrorText } from '../../components/hub-error-text.js';
import { useHubAction } from '../../components/use-hub-action.js';
import { useStore } from '../../store/store.js';
import { apartFromDashboard, type ListedAgent } from '../agents/agent-list-model.js';
import { shortTaskId, taskHref, type TaskListKind } from './task-links.js';

interface TaskActionsProps {
  task: TaskRecord;
  agents: readonly ListedAgent[];
  list: TaskListKind;
  /** One line of buttons for a table row, without the cancel reason. */
  compact?: boolean;
}

export function TaskActions({ task, agents, list, compact = false }: TaskActionsProps) {
  const id = useId();
  const [reason, setReason] = useState('');
  const [redriveTo, setRedriveTo] = useState('');
  const [retried, setRetried] = useState<TaskRecord | undefined>(undefined);
  const action = useHubAction();
  // The dashboard's own agent (the person) runs no tasks: it is no redrive target.
  const self = useStore((s) => s.session?.agent);
  const targets = apartFromDashboard(agents, self).agents;
  const params = { id: task.task_id };
  const canCancel = nextState(task.state, 'cancel') !== undefined;
  const canRetry = isTerminal(task.state);

  const cancel = (): void => {
    const body = reason.trim() === '' ? {} : { reason: reason.trim() };
    void action
      .run(() => api(httpRoutes.cancelTask, { params, body }))
      .then((done) => {
        if (done !== undefined) setReason('');
      });
  };
  const retry = (to?: string): void => {
    void action
      .run(() => api(httpRoutes.retryTask, { params, body: to === undefined ? {} : { to } }))
      .then((done) => {
        if (done !== undefined) setRetried(done.task);
      });
  };

  return (
    <div className={compact ? 'task-actions compact' : 'task-actions'} aria-label="Task actions" role="group">
      {compact || !canCancel ? null : (
        <div className="row">
          <label htmlFor={`${id}-reason`} className="sr-only">
            Cancel reason
          </label>
          <input
            id={`${id}-reason`}
            value={reason}
            placeholder="reason (optional)"
            onChange={(event) => setReason(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && !action.busy) cancel();
            }}
          />
          <button type="button" className="danger" disabled={action.busy} onClick={cancel}>
            Cancel
          </button>
        </div>
      )}
      {canRetry ? (
        <div className="row">
          <button type="button" disabled={action.busy} onClick={() => retry()} title="A new task with the same work, to the same agent or role">
            Retry
          </button>
          <label htmlFor={`${id}-to`} className="sr-only">
            Redrive to
          </label>
          <select id={`${id}-to`} value={redriveTo} onChange={(event) => setRedriveTo(event.target.value)}>
            <option value="">{compact ? 'agent…' : 'another agent…'}</option>
            {targets.map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.id}
                {agent.online ? '' : ' (offline)'}
              </option>
            ))}
          </select>
          <button
            type="button"
            disabled={redriveTo === '' || action.busy}
            onClick={() => retry(redriveTo)}
            title="A new task with the same work, to the agent picked"
          >
            Redrive
          </button>
        </div>
      ) : null}
      {retried === undefined ? null : (
        <p className="action-done" role="status">
          {retried.to === task.to ? 'Retried' : `Redriven to ${retried.to}`} as{' '}
          <a href={taskHref(retried.task_id, list)} className="mono" title={retried.task_id}>
            {shortTaskId(retried.task_id)}
          </a>
        </p>
      )}
      <HubErrorText error={action.error} />
    </div>
  );
}
