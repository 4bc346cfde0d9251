/** The child's question while a task is input-required, and a box for the master's (here: the person's) answer. */
import { useState } from 'react';
import { httpRoutes, type TaskRecord } from '../../../../shared/index.js';
import { api } from '../../api/http.js';
import { HubErrorText } from '../../components/hub-error-text.js';
import { useHubAction } from '../../components/use-hub-action.js';

export function TaskAnswer({ task }: { task: TaskRecord }) {
  const [answer, setAnswer] = useState('');
  const action = useHubAction();
  const send = async (): Promise<void> => {
    if (answer.trim() === '') return;
    const done = await action.run(() => api(httpRoutes.answerTask, { params: { id: task.task_id }, body: { answer } }));
    if (done !== undefined) setAnswer('');
  };
  return (
    <form
      className="task-answer"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <p className="question">
        <strong>{task.assigned_to ?? 'The agent'} asks:</strong> {task.question ?? ''}
      </p>
      <label>
        Answer
        <textarea
          value={answer}
          rows={3}
          onChange={(event) => setAnswer(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              void send();
            }
          }}
        />
      </label>
      <div className="row">
        <button type="submit" className="primary" disabled={action.busy || answer.trim() === ''}>
          Send answer
        </button>
        <span className="muted">Ctrl+Enter sends</span>
      </div>
      <HubErrorText error={action.error} />
    </form>
  );
}
