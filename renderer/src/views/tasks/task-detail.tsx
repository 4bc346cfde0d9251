/**
 * One task in full, beside the table: its fields, payload, question, progress, result or error, lineage,
 * attempts and actions. Pushed changes show at once; the attempts are read again whenever the task changes.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { httpRoutes, type TaskAttempt, type TaskCallbackStatus, type TaskRecord } from '../../../../shared/index.js';
import { formatDateTime, formatDuration } from '../../components/format.js';
import { HubErrorText } from '../../components/hub-error-text.js';
import { PayloadView } from '../../components/payload-view.js';
import { StateChip } from '../../components/state-chip.js';
import { useHubQuery } from '../../components/use-hub-query.js';
import { useStore } from '../../store/store.js';
import type { ListedAgent } from '../agents/agent-list-model.js';
import { TaskActions } from './task-actions.js';
import { TaskAnswer } from './task-answer.js';
import { CopyButton } from '../agents/copy-button.js';
import { TaskAttempts } from './task-attempts.js';
import { TaskLineage } from './task-lineage.js';
import { shortTaskId, taskHref, type TaskListKind } from './task-links.js';
import { newerTask } from './task-list-model.js';
import { TaskProgress } from './task-progress.js';
import { useRetries } from './use-retries.js';

const NO_RETRIES: TaskRecord[] = [];

interface TaskDetailProps {
  taskId: string;
  agents: readonly ListedAgent[];
  list: TaskListKind;
  onClose(): void;
}

export function TaskDetail({ taskId, agents, list, onClose }: TaskDetailProps) {
  const pushed = useStore((s) => s.tasks[taskId]);
  const query = useHubQuery(httpRoutes.taskDetail, { params: { id: taskId }, refreshOn: pushed?.updated_at });
  const task = newerTask(query.data?.task, pushed);
  const heading = useRef<HTMLHeadingElement>(null);
  const idText = useRef<HTMLSpanElement>(null);
  const retries = useRetries().get(taskId) ?? NO_RETRIES;

  useEffect(() => heading.current?.focus(), [taskId]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented || isTyping(event.target)) return;
      onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <aside className="card task-detail" data-testid="task-detail" data-task-id={taskId} aria-labelledby="task-detail-title">
      <header className="task-detail-head">
        <h2 id="task-detail-title" ref={heading} tabIndex={-1} className="mono" title={taskId}>
          <span ref={idText}>{taskId}</span>
        </h2>
        {task === undefined ? null : <StateChip state={task.state} />}
        <CopyButton text={taskId} label="Copy task id" source={idText} />
        <button type="button" className="close" aria-label="Close details" title="Close (Escape)" onClick={onClose}>
          ×
        </button>
      </header>
      <HubErrorText error={query.error} />
      {task === undefined ? (
        query.error === undefined ? (
          <p className="muted">Loading…</p>
        ) : null
      ) : (
        <TaskBody task={task} attempts={query.data?.attempts} callback={query.data?.callback ?? null} agents={agents} retries={retries} list={list} />
      )}
    </aside>
  );
}

/** "delivered after 1 attempt, <time>", "failed after 4 attempts, <time> (HTTP 503)", "pending, 1 attempt so far, next <time> (…)". */
function describeCallback(callback: TaskCallbackStatus): string {
  const attempts = `${callback.attempts} ${callback.attempts === 1 ? 'attempt' : 'attempts'}`;
  const error = callback.last_error === null ? '' : ` (${callback.last_error})`;
  if (callback.state !== 'pending') return `${callback.state} after ${attempts}, ${formatDateTime(callback.finished_at)}${error}`;
  const sofar = callback.attempts === 0 ? '' : ` ${attempts} so far,`;
  return `pending,${sofar} next ${formatDateTime(callback.next_attempt_at)}${error}`;
}

/** Escape in a field that holds text (an answer being written) must not throw the text away with the panel. */
function isTyping(target: EventTarget | null): boolean {
  return (target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement) && target.value !== '';
}

function TaskBody({
  task,
  attempts,
  callback,
  agents,
  retries,
  list,
}: {
  task: TaskRecord;
  attempts: TaskAttempt[] | undefined;
  callback: TaskCallbackStatus | null;
  agents: readonly ListedAgent[];
  retries: readonly TaskRecord[];
  list: TaskListKind;
}) {
  return (
    <>
      <Section title="Actions">
        <TaskActions task={task} agents={agents} list={list} />
      </Section>
      {task.state === 'input-required' ? (
        <Section title="Question">
          <TaskAnswer task={task} />
        </Section>
      ) : null}
      <dl className="task-fields">
        <Field label="Command">{task.cmd}</Field>
        <Field label="Type">{task.type}</Field>
        <Field label="From">{task.from}</Field>
        <Field label="To">{task.to}</Field>
        <Field label="Assigned to">{task.assigned_to ?? '—'}</Field>
        <Field label="Attempts">
          {task.attempts} of {task.max_attempts} ({task.offers} {task.offers === 1 ? 'offer' : 'offers'})
        </Field>
        <Field label="Priority">{task.priority}</Field>
        <Field label="Timeout">{formatDuration(task.timeout_ms)}</Field>
        <Field label="Created">{formatDateTime(task.created_at)}</Field>
        <Field label="Updated">{formatDateTime(task.updated_at)}</Field>
        <Field label="Due">{formatDateTime(task.run_at)}</Field>
        {task.lease_until === null ? null : <Field label="Lease until">{formatDateTime(task.lease_until)}</Field>}
        {task.finished_at === null ? null : <Field label="Finished">{formatDateTime(task.finished_at)}</Field>}
        {task.idempotency_key === null ? null : <Field label="Idempotency key">{task.idempotency_key}</Field>}
        {task.callback_url === null ? null : <Field label="Callback">{task.callback_url}</Field>}
        {callback === null ? null : (
          <Field label="Callback delivery">
            <span data-testid="callback-delivery">{describeCallback(callback)}</span>
          </Field>
        )}
        {task.retry_of === null ? null : (
          <Field label="Retry of">
            <TaskLink taskId={task.retry_of} list={list} />
          </Field>
        )}
        {retries.length === 0 ? null : (
          <Field label="Retried as">
            {retries.map((retry) => (
              <span key={retry.task_id} className="row">
                <TaskLink taskId={retry.task_id} list={list} /> <StateChip state={retry.state} testId="retry-state" />
              </span>
            ))}
          </Field>
        )}
      </dl>
      {task.text === null ? null : (
        <Section title="Text">
          <p className="task-text">{task.text}</p>
        </Section>
      )}
      <Section title="Payload">
        {task.payload === null || task.payload === undefined ? <p className="muted">none</p> : <PayloadView value={task.payload} label="Task payload" />}
      </Section>
      {task.progress === null ? null : (
        <Section title="Progress">
          <TaskProgress progress={task.progress} />
        </Section>
      )}
      {task.error === null ? null : (
        <Section title="Error">
          <p className="error-text" data-testid="task-error">
            {task.error}
          </p>
        </Section>
      )}
      {task.result === null || task.result === undefined ? null : (
        <Section title="Result">
          <PayloadView value={task.result} label="Task result" />
        </Section>
      )}
      <Section title="Lineage">
        <TaskLineage taskId={task.task_id} list={list} refreshOn={`${task.updated_at}:${retries.length}`} />
      </Section>
      <Section title="Attempts">{attempts === undefined ? <p className="muted">Loading…</p> : <TaskAttempts attempts={attempts} />}</Section>
    </>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="task-section">
      <h3>{title}</h3>
      {children}
    </section>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function TaskLink({ taskId, list }: { taskId: string; list: TaskListKind }) {
  return (
    <a href={taskHref(taskId, list)} className="mono" title={taskId}>
      {shortTaskId(taskId)}
    </a>
  );
}
