/**
 * The metrics view: per-agent interaction charts and totals over a chosen window, the tools and error
 * types behind them, alerts with acknowledge (admin), and delivery health. The window and the agent are
 * in the route (`#/metrics?window=24h&agent=planner`), so a view can be linked to.
 */
import { useMemo } from 'react';
import { httpRoutes } from '../../../../shared/index.js';
import { BarList } from '../../components/bar-list.js';
import { ChoiceFilter } from '../../components/choice-filter.js';
import { EmptyState } from '../../components/empty-state.js';
import { formatTime } from '../../components/format.js';
import { HubErrorText } from '../../components/hub-error-text.js';
import { useHubQuery } from '../../components/use-hub-query.js';
import { href, navigate, useRoute } from '../../router.js';
import { useStore } from '../../store/store.js';
import { AgentSummaryTable } from './agent-summary-table.js';
import { AlertsPanel } from './alerts-panel.js';
import { DeliveryHealth } from './delivery-health.js';
import { MetricsCharts } from './metrics-charts.js';
import { agentColors, buildCharts, sumCounts } from './metrics-data.js';
import { useWindowClock, windowById, WINDOWS, type MetricsWindow } from './metrics-window.js';
import './metrics.css';

function metricsQuery(timeWindow: MetricsWindow, agent: string | undefined): Record<string, string> {
  return agent === undefined ? { window: timeWindow.id } : { window: timeWindow.id, agent };
}

export function MetricsView() {
  const route = useRoute();
  const timeWindow = windowById(route.query.get('window'));
  const agent = route.query.get('agent') || undefined;
  const admin = useStore((s) => s.session?.admin === true);
  const until = useWindowClock();
  const since = until - timeWindow.ms;

  const totals = useHubQuery(httpRoutes.agentMetrics, { query: { since, until } });
  const rollups = useHubQuery(httpRoutes.metricRollups, { query: { since, until, bucket: timeWindow.bucket, agent } });
  // Asked again with every tick of the clock, so the hub's uptime and `until` are of the same moment.
  const status = useHubQuery(httpRoutes.hubStatus, { refreshOn: until });
  const hubStart = status.data === undefined ? undefined : until - status.data.uptime * 1000;

  const allTotals = useMemo(() => totals.data?.agents ?? [], [totals.data]);
  const colors = useMemo(() => agentColors([...allTotals.map((t) => t.agent), ...(agent === undefined ? [] : [agent])]), [allTotals, agent]);
  const charts = useMemo(
    () => (rollups.data === undefined ? undefined : buildCharts(rollups.data, since, until, timeWindow.bucketMinutes, colors, hubStart)),
    [rollups.data, since, until, timeWindow.bucketMinutes, colors, hubStart],
  );
  const selectedTotals = agent === undefined ? allTotals : allTotals.filter((t) => t.agent === agent);
  const pickable = [...colors.keys()];
  const empty = totals.data !== undefined && allTotals.length === 0;

  const go = (nextWindow: MetricsWindow, nextAgent: string | undefined): void => navigate('metrics', undefined, metricsQuery(nextWindow, nextAgent));

  return (
    <div className="metrics">
      <div className="toolbar metrics-toolbar">
        <div className="segmented" role="group" aria-label="Time window">
          {WINDOWS.map((option) => (
            <button key={option.id} type="button" aria-pressed={option.id === timeWindow.id} onClick={() => go(option, agent)} data-window={option.id}>
              {option.label}
            </button>
          ))}
        </div>
        <label className="row">
          Agent
          <ChoiceFilter
            label="Agent"
            allLabel="All agents"
            value={agent ?? ''}
            choices={pickable}
            onChange={(name) => go(timeWindow, name || undefined)}
            testId="metrics-agent-picker"
          />
        </label>
        <span className="muted metrics-updated" aria-live="off">
          {totals.data === undefined ? null : `Updated ${formatTime(new Date(until).toISOString())} · every 15 s`}
        </span>
      </div>

      <HubErrorText error={totals.error ?? rollups.error} />

      {totals.data === undefined && totals.error === undefined ? <p className="muted">Loading metrics…</p> : null}

      {empty ? (
        <EmptyState title="No interactions reported yet">
          <p>
            Agents report them with <code>trackInteraction</code> (SDK) or <code>POST /api/metrics</code> (see the README).
          </p>
          {timeWindow.id === WINDOWS[WINDOWS.length - 1]?.id ? null : (
            <p>Nothing in the {timeWindow.label.toLowerCase()}: a longer window may show older ones.</p>
          )}
        </EmptyState>
      ) : null}

      {!empty && charts !== undefined ? <MetricsCharts charts={charts} /> : null}

      {!empty && totals.data !== undefined ? (
        <div className="metrics-details">
          <section className="card metrics-section" aria-labelledby="agents-heading">
            <h2 id="agents-heading">Per agent</h2>
            <AgentSummaryTable
              totals={allTotals}
              colors={colors}
              selected={agent}
              hrefFor={(name) => href('metrics', undefined, metricsQuery(timeWindow, name))}
            />
          </section>
          <section className="card metrics-section" aria-labelledby="breakdown-heading">
            <h2 id="breakdown-heading">{agent === undefined ? 'All agents' : agent}</h2>
            <h3>Tools used</h3>
            <BreakdownList
              label="Tools used"
              items={sumCounts(selectedTotals, 'tools')}
              empty="No tools reported in this window."
              testId="tools-list"
              color="var(--chart-1)"
            />
            <h3 className="metrics-subheading">Error types</h3>
            <BreakdownList
              label="Error types"
              items={sumCounts(selectedTotals, 'error_types')}
              empty="No errors in this window."
              testId="error-types-list"
              color="var(--danger)"
            />
          </section>
        </div>
      ) : null}

      {admin ? (
        <AlertsPanel />
      ) : (
        <section className="card metrics-section" aria-label="Alerts">
          <h2>Alerts</h2>
          <p className="muted">Alerts and acknowledging them need the admin session (open the dashboard with a login link from the hub).</p>
        </section>
      )}

      <DeliveryHealth admin={admin} />
    </div>
  );
}

function BreakdownList({
  label,
  items,
  empty,
  testId,
  color,
}: {
  label: string;
  items: { label: string; value: number }[];
  empty: string;
  testId: string;
  color: string;
}) {
  if (items.length === 0) {
    return (
      <p className="muted" data-testid={testId}>
        {empty}
      </p>
    );
  }
  return <BarList label={label} items={items} testId={testId} color={color} />;
}
