/** Open alerts: how many, and the newest few, linking to the metrics view where they are acknowledged. */
import { httpRoutes } from '../../../../shared/index.js';
import { formatAgo } from '../../components/format.js';
import { useHubQuery } from '../../components/use-hub-query.js';
import { href } from '../../router.js';
import { useStore } from '../../store/store.js';

const SHOWN = 3;

export function OpenAlertsCard({ admin }: { admin: boolean }) {
  // Every pushed alert change refetches, so the count and the list stay the hub's.
  const pushed = useStore((s) => s.alerts);
  const query = useHubQuery(admin ? httpRoutes.listAlerts : undefined, { query: { state: 'open', limit: SHOWN }, refreshOn: pushed });
  const open = query.data?.counts.open ?? 0;
  return (
    <section className="card alerts-card" aria-label="Open alerts" data-testid="overview-alerts">
      <div className="stat-label">Open alerts</div>
      {!admin ? (
        <p className="muted">Alerts are shown to the admin session.</p>
      ) : query.error !== undefined ? (
        <p className="error-text">
          {query.error.code}: {query.error.message}
        </p>
      ) : (
        <>
          <div className={`stat-value ${open > 0 ? 'alerts-open' : ''}`} data-testid="stat-open-alerts">
            {open}
          </div>
          {open === 0 ? (
            <p className="muted">Nothing needs attention.</p>
          ) : (
            <ul className="alerts-card-list">
              {(query.data?.alerts ?? []).map((alert) => (
                <li key={alert.id} data-testid="overview-alert">
                  <span className={`chip ${alert.level === 'critical' ? 'chip-danger' : 'chip-warn'}`}>{alert.level}</span>{' '}
                  <a href={href('metrics')}>{alert.message}</a> <span className="muted">{formatAgo(alert.last_at)}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <a className="alerts-card-link" href={href('metrics')}>
        Metrics and alerts →
      </a>
    </section>
  );
}
