/**
 * "What did this cause?" under a message: the tasks sent in reply to it, the replies to it and the alerts
 * those tasks raised, each linked; read when the person opens it.
 */
import { useState } from 'react';
import { httpRoutes } from '../../../../shared/index.js';
import { HubErrorText } from '../../components/hub-error-text.js';
import { StateChip } from '../../components/state-chip.js';
import { useHubQuery } from '../../components/use-hub-query.js';
import { href } from '../../router.js';
import { shortTaskId, taskHref } from '../tasks/task-links.js';
import { effectsSummary } from './effects-model.js';

export function MessageEffects({ seq }: { seq: number }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="message-effects">
      <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid="message-effects-toggle">
        {open ? 'Hide what this caused' : 'What did this cause?'}
      </button>
      {open ? <EffectsList seq={seq} /> : null}
    </div>
  );
}

function EffectsList({ seq }: { seq: number }) {
  const query = useHubQuery(httpRoutes.messageEffects, { params: { seq: String(seq) } });
  const effects = query.data;
  if (effects === undefined) return query.error === undefined ? <p className="muted">Loading…</p> : <HubErrorText error={query.error} />;
  return (
    <div className="effects" data-testid="message-effects">
      <p className="muted">{effectsSummary(effects)}</p>
      <ul>
        {effects.tasks.map((task) => (
          <li key={task.task_id} data-testid="effect-task">
            task{' '}
            <a href={taskHref(task.task_id)} className="mono" title={task.task_id}>
              {shortTaskId(task.task_id)}
            </a>{' '}
            {task.cmd} → {task.assigned_to ?? task.to} <StateChip state={task.state} />
          </li>
        ))}
        {effects.replies.map((reply) => (
          <li key={reply.seq} data-testid="effect-reply">
            reply <a href={href('conversations', reply.conversation_id, { seq: String(reply.seq) })}>#{reply.seq}</a> from {reply.sender}:{' '}
            <span className="effects-text">{reply.content}</span>
          </li>
        ))}
        {effects.alerts.map((alert) => (
          <li key={`${alert.id}:${alert.ts}`} data-testid="effect-alert">
            alert <a href={href('metrics', undefined, { alert: String(alert.id) })}>{alert.id}</a> ({alert.level}): {alert.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
