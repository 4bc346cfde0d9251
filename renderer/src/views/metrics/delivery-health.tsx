/**
 * Delivery health at a glance: direct messages waiting in offline queues (and dropped), tasks waiting or
 * failed, and — for the admin — unresolved delivery alerts such as failing callbacks.
 */
import { httpRoutes, type AlertRule } from '../../../../shared/index.js';
import { formatCount } from '../../components/format.js';
import { HubErrorText } from '../../components/hub-error-text.js';
import { useHubQuery } from '../../components/use-hub-query.js';
import { href } from '../../router.js';
import { useStore } from '../../store/store.js';
import { taskListHref } from '../tasks/task-links.js';
import { mergeAlerts } from './alert-list.js';
import { REFRESH_MS } from './metrics-window.js';

/** Alerts about getting messages, tasks and callbacks delivered (not about what agents report). */
const DELIVERY_RULES: readonly AlertRule[] = ['queue_fill', 'queue_drop', 'task_waiting', 'task_failed', 'callback_failed'];

export function DeliveryHealth({ admin }: { admin: boolean }) {
  const status = useHubQuery(httpRoutes.hubStatus, { refreshMs: REFRESH_MS });
  const agents = useHubQuery(httpRoutes.listAgents, { refreshMs: REFRESH_MS });
  const tasks = useHubQuery(httpRoutes.listTasks, { query: { limit: 1 }, refreshMs: REFRESH_MS });
  const queued = (agents.data?.agents ?? []).filter((a) => a.queue_depth > 0).sort((a, b) => b.queue_depth - a.queue_depth);
  const counts = tasks.data?.counts ?? {};
  const queue = status.data?.offline_queue;

  return (
    <section className="card metrics-section" aria-labelledby="delivery-heading" data-testid="delivery-health">
      <h2 id="delivery-heading">Delivery health</h2>
      <div className="health-grid">
        <div className="health-item" data-testid="health-offline-queue">
          <div className="stat-label">Offline queues</div>
          {queue === undefined ? (
            <HubErrorText error={status.error} />
          ) : (
            <>
              <div>
                <strong className="health-figure">{formatCount(queue.queued)}</strong> direct messages waiting
              </div>
              <div className={queue.dropped > 0 ? 'error-text' : 'muted'}>{formatCount(queue.dropped)} dropped since the hub started</div>
              {queued.length === 0 ? null : (
                <div className="muted health-detail">
                  {queued.slice(0, 5).map((a) => (
                    <span key={a.id} className="health-pair">
                      <span className="mono">{a.id}</span> {formatCount(a.queue_depth ?? 0)}
                    </span>
                  ))}
                </div>
              )}
            </>
          )}
          <HubErrorText error={agents.error} />
        </div>
        <div className="health-item" data-testid="health-tasks">
          <div className="stat-label">
            <a href={href('tasks')}>Tasks</a>
          </div>
          {tasks.data === undefined ? (
            <HubErrorText error={tasks.error} />
          ) : (
            <>
              <div>
                <strong className="health-figure">{formatCount(counts['submitted'] ?? 0)}</strong> waiting ·{' '}
                <strong className="health-figure">{formatCount((counts['working'] ?? 0) + (counts['input-required'] ?? 0))}</strong> in progress
                {(counts['input-required'] ?? 0) > 0 ? <span className="muted"> ({formatCount(counts['input-required'] ?? 0)} need input)</span> : null}
              </div>
              <div className={(counts['failed'] ?? 0) > 0 ? 'error-text' : 'muted'}>
                <a href={taskListHref('dead-letter')} className="health-link">
                  {formatCount(counts['failed'] ?? 0)} failed
                </a>
              </div>
            </>
          )}
        </div>
        <DeliveryAlerts admin={admin} />
      </div>
    </section>
  );
}

function DeliveryAlerts({ admin }: { admin: boolean }) {
  const pushed = useStore((s) => s.alerts);
  const list = useHubQuery(admin ? httpRoutes.listAlerts : undefined, { query: { limit: 200 }, refreshMs: REFRESH_MS });
  const unresolved = mergeAlerts(list.data?.alerts ?? [], [pushed], undefined).filter((a) => a.state !== 'resolved' && DELIVERY_RULES.includes(a.rule));
  const callbacks = unresolved.filter((a) => a.rule === 'callback_failed');
  return (
    <div className="health-item" data-testid="health-delivery-alerts">
      <div className="stat-label">Callbacks and delivery alerts</div>
      {!admin ? (
        <div className="muted">Shown to the admin session.</div>
      ) : list.data === undefined ? (
        <HubErrorText error={list.error} />
      ) : (
        <>
          <div>
            <strong className="health-figure">{formatCount(callbacks.length)}</strong> {callbacks.length === 1 ? 'host' : 'hosts'} with failing callbacks
          </div>
          {callbacks.length === 0 ? null : (
            <div className="muted health-detail">
              {callbacks.map((a) => (
                <span key={a.id} className="health-pair mono">
                  {a.subject}
                </span>
              ))}
            </div>
          )}
          <div className={unresolved.length > 0 ? 'error-text' : 'muted'}>{formatCount(unresolved.length)} unresolved delivery alerts</div>
        </>
      )}
    </div>
  );
}
