/**
 * The tasks view: every task (`#/tasks`) or the dead letter (`#/tasks?view=dead-letter`), and the task the
 * route names (`#/tasks/<task_id>`) in a panel beside the list.
 */
import { useCallback } from 'react';
import { useRoute } from '../../router.js';
import { useAgents } from '../agents/use-agents.js';
import { AllTasks } from './all-tasks.js';
import { DeadLetter } from './dead-letter.js';
import { TaskDetail } from './task-detail.js';
import { taskListHref, type TaskListKind } from './task-links.js';
import './tasks.css';

export function TasksView() {
  const route = useRoute();
  const list: TaskListKind = route.query.get('view') === 'dead-letter' ? 'dead-letter' : 'all';
  const selectedId = route.param;
  const { agents } = useAgents();
  const close = useCallback(() => {
    window.location.hash = taskListHref(list);
    // Back to where the person was: the closed task's row, if it is in the list.
    if (selectedId !== undefined)
      requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-testid="task-row"][data-task-id="${CSS.escape(selectedId)}"] a`)?.focus());
  }, [list, selectedId]);

  return (
    <div className="tasks-view">
      <TaskListTabs list={list} />
      <div className={selectedId === undefined ? 'tasks-split' : 'tasks-split with-detail'}>
        <section className="tasks-list-pane" aria-label={list === 'all' ? 'All tasks' : 'Dead letter'}>
          {list === 'all' ? <AllTasks agents={agents} selectedId={selectedId} /> : <DeadLetter agents={agents} selectedId={selectedId} />}
        </section>
        {selectedId === undefined ? null : <TaskDetail key={selectedId} taskId={selectedId} agents={agents} list={list} onClose={close} />}
      </div>
    </div>
  );
}

function TaskListTabs({ list }: { list: TaskListKind }) {
  return (
    <nav className="task-tabs" aria-label="Task lists">
      <a href={taskListHref('all')} aria-current={list === 'all' ? 'page' : undefined}>
        All tasks
      </a>
      <a href={taskListHref('dead-letter')} aria-current={list === 'dead-letter' ? 'page' : undefined} data-testid="dead-letter-tab">
        Dead letter
      </a>
    </nav>
  );
}
