/** Alerts (admin): the hub's list filtered by state, kept live by pushed alerts, each open one with Acknowledge. */
import { useLayoutEffect, useRef, useState } from 'react';
import { ALERT_STATES, httpRoutes, type AlertRecord, type AlertRule, type AlertState } from '../../../../shared/index.js';
import { api } from '../../api/http.js';
import { EmptyState } from '../../components/empty-state.js';
import { formatAgo, formatDateTime, formatDecimal, formatDuration } from '../../components/format.js';
import { HubErrorText } from '../../components/hub-error-text.js';
import { useHubAction } from '../../components/use-hub-action.js';
import { useHubQuery } from '../../components/use-hub-query.js';
import { useRoute } from '../../router.js';
import { useStore } from '../../store/store.js';
import { levelTone, mergeAlerts, occurrencesText, stateTone } from './alert-list.js';
import { REFRESH_MS } from './metrics-window.js';

const RULE_NAMES: Record<AlertRule, string> = {
  error_rate: 'Error rate',
  response_time: 'Response time',
  consecutive_errors: 'Consecutive errors',
  queue_fill: 'Offline queue filling',
  queue_drop: 'Offline queue dropped',
  task_failed: 'Task failed',
  task_waiting: 'Task waiting',
  callback_failed: 'Callback failed',
  conversation_loop: 'Conversation loop',
  database_damaged: 'Database damaged',
  federation: 'Federation link',
};

/** A value or threshold in the unit of its rule. */
function formatMeasure(rule: AlertRule, value: number | null): string {
  if (value === null) return '—';
  if (rule === 'error_rate' || rule === 'queue_fill') return `${formatDecimal(value)} %`;
  if (rule === 'response_time') return formatDuration(value);
  if (rule === 'task_waiting') return `${formatDecimal(value)} min`;
  return formatDecimal(value);
}

type Filter = AlertState | 'all';

export function AlertsPanel() {
  const [filter, setFilter] = useState<Filter>('all');
  const state = filter === 'all' ? undefined : filter;
  // Pushes are overlaid at once; each one also refetches, so the counts by state stay the hub's.
  const pushed = useStore((s) => s.alerts);
  const [acknowledged, setAcknowledged] = useState<Record<number, AlertRecord>>({});
  const list = useHubQuery(httpRoutes.listAlerts, { query: { state, limit: 200 }, refreshMs: REFRESH_MS, refreshOn: pushed });
  const alerts = mergeAlerts(list.data?.alerts ?? [], [pushed, acknowledged], state);
  const counts = list.data?.counts;
  // A link from a task's lineage names the alert to show: `#/metrics?alert=12`.
  const focus = Number(useRoute().query.get('alert') ?? Number.NaN);

  return (
    <section className="card metrics-section" aria-labelledby="alerts-heading" data-testid="alerts-panel">
      <div className="metrics-section-head">
        <h2 id="alerts-heading">Alerts</h2>
        <div className="segmented" role="group" aria-label="Alert state">
          {(['all', ...ALERT_STATES] as const).map((option) => (
            <button key={option} type="button" aria-pressed={filter === option} onClick={() => setFilter(option)} data-filter={option}>
              {option === 'all' ? 'All' : option[0]?.toUpperCase() + option.slice(1)}
              {option !== 'all' && counts !== undefined ? <span className="segmented-count">{counts[option]}</span> : null}
            </button>
          ))}
        </div>
      </div>
      <HubErrorText error={list.error} />
      {list.data === undefined && list.error === undefined ? <p className="muted">Loading alerts…</p> : null}
      {list.data !== undefined && alerts.length === 0 ? (
        <EmptyState title={filter === 'all' ? 'No alerts' : `No ${filter} alerts`}>
          The hub raises alerts when an agent's error rate or response time crosses a threshold, when offline queues fill up, tasks wait or fail, callbacks
          fail, or the federation link is down or falls behind. Thresholds are under Settings → Alert thresholds.
        </EmptyState>
      ) : null}
      {alerts.length === 0 ? null : (
        <div className="table-scroll">
          <table className="alerts-table">
            <thead>
              <tr>
                <th scope="col">Level</th>
                <th scope="col">Rule</th>
                <th scope="col">Subject</th>
                <th scope="col">Message</th>
                <th scope="col">Value / threshold</th>
                <th scope="col">Checks that found it</th>
                <th scope="col">First / last</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((alert) => (
                <AlertRow
                  key={alert.id}
                  alert={alert}
                  focused={alert.id === focus}
                  onAcknowledged={(next) => setAcknowledged((current) => ({ ...current, [next.id]: next }))}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function AlertRow({ alert, focused, onAcknowledged }: { alert: AlertRecord; focused: boolean; onAcknowledged(alert: AlertRecord): void }) {
  const ack = useHubAction();
  const row = useRef<HTMLTableRowElement>(null);
  useLayoutEffect(() => {
    if (focused) row.current?.scrollIntoView({ block: 'center' });
  }, [focused]);
  const acknowledge = async (): Promise<void> => {
    const answer = await ack.run(() => api(httpRoutes.acknowledgeAlert, { params: { id: String(alert.id) } }));
    if (answer !== undefined) onAcknowledged(answer.alert);
  };
  return (
    <tr
      ref={row}
      className={focused ? 'alert-focused' : undefined}
      data-testid="alert-row"
      data-alert-id={alert.id}
      data-state={alert.state}
      data-level={alert.level}
    >
      <td>
        <span className={`chip chip-${levelTone(alert)}`} data-testid="alert-level">
          {alert.level}
        </span>
      </td>
      <td>{RULE_NAMES[alert.rule] ?? alert.rule}</td>
      <td className="mono">{alert.subject}</td>
      <td className="alert-message">{alert.message}</td>
      <td className="numeric">
        {formatMeasure(alert.rule, alert.value)} / {formatMeasure(alert.rule, alert.threshold)}
      </td>
      <td className="numeric" title="How many of the hub's checks found this condition while the alert was unresolved" data-testid="alert-occurrences">
        {occurrencesText(alert.occurrences)}
      </td>
      <td className="alert-times">
        <span title={formatDateTime(alert.first_at)}>{formatAgo(alert.first_at)}</span>
        <br />
        <span className="muted" title={formatDateTime(alert.last_at)}>
          {formatAgo(alert.last_at)}
        </span>
      </td>
      <td>
        <span className={`chip chip-${stateTone(alert.state)}`} data-testid="alert-state">
          {alert.state}
        </span>
        {alert.acknowledged_by === null ? null : <div className="muted alert-by">by {alert.acknowledged_by}</div>}
        {alert.state === 'open' ? (
          <div>
            <button
              type="button"
              className="alert-ack"
              onClick={() => void acknowledge()}
              disabled={ack.busy}
              aria-label="Acknowledge"
              title={`Acknowledge alert ${alert.id}`}
            >
              {ack.busy ? 'Acknowledging…' : 'Acknowledge'}
            </button>
          </div>
        ) : null}
        <HubErrorText error={ack.error} />
      </td>
    </tr>
  );
}
