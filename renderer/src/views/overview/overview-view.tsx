/** The overview: is the hub up, where, since when, who is connected, how busy it is right now, and its link to other hubs. */
import { useMemo } from 'react';
import { httpRoutes } from '../../../../shared/index.js';
import { hubAccess } from '../../api/http.js';
import { formatCount, formatDuration } from '../../components/format.js';
import { StatCard } from '../../components/stat-card.js';
import { useHubQuery } from '../../components/use-hub-query.js';
import { useStore } from '../../store/store.js';
import { DatabaseBanner } from './database-banner.js';
import { FederationCard } from './federation-card.js';
import { GettingStarted } from './getting-started.js';
import { hourHistory } from './minute-history.js';
import { OpenAlertsCard } from './open-alerts-card.js';
import { SelftestLine } from './selftest-line.js';
import { RateCard } from './rate-card.js';
import './overview.css';

const STATUS_REFRESH_MS = 3000;
const HISTORY_MINUTES = 60;

export function OverviewView() {
  const link = useStore((s) => s.link);
  const session = useStore((s) => s.session);
  const rates = useStore((s) => s.rates);
  const status = useHubQuery(httpRoutes.hubStatus, { refreshMs: STATUS_REFRESH_MS });
  const sessionInfo = useHubQuery(httpRoutes.session);
  const agents = useHubQuery(httpRoutes.listAgents, { refreshMs: STATUS_REFRESH_MS });
  const history = useHubQuery(httpRoutes.messageRates, { query: { minutes: HISTORY_MINUTES }, refreshMs: 15_000 });
  const tasks = useHubQuery(status.data?.total_tasks === undefined ? httpRoutes.listTasks : undefined, {
    query: { limit: 1 },
    refreshMs: STATUS_REFRESH_MS,
  });

  const data = status.data;
  const uptime = data?.uptime;
  const messagesHour = useMemo(
    () => (history.data === undefined ? undefined : hourHistory(history.data.minutes, (m) => m.messages, uptime)),
    [history.data, uptime],
  );
  const tasksHour = useMemo(() => (history.data === undefined ? undefined : hourHistory(history.data.minutes, (m) => m.tasks, uptime)), [history.data, uptime]);
  // The window itself is connected as an agent (the person); it is not one of the agents to count.
  const otherAgents = agents.data?.agents.filter((agent) => agent.id !== session?.agent);
  const agentsOnline = otherAgents?.filter((agent) => agent.online).length ?? data?.agents_online;
  const totalTasks = data?.total_tasks ?? (tasks.data === undefined ? undefined : Object.values(tasks.data.counts).reduce((sum, n) => sum + n, 0));
  const version = sessionInfo.data?.hub.version;
  const linkLabel = link === 'connected' ? 'Connected' : link === 'closed' ? 'Closed' : link === 'reconnecting' ? 'Reconnecting…' : 'Connecting…';
  const linkChip = link === 'connected' ? 'chip-ok' : link === 'closed' ? 'chip-danger' : 'chip-warn';

  return (
    <div className="overview">
      <DatabaseBanner health={data?.database} />
      {otherAgents !== undefined && otherAgents.length === 0 ? <GettingStarted /> : null}
      <section className="card hub-card" aria-label="Hub">
        <div className="row">
          <span className={`chip ${linkChip}`} data-testid="hub-link">
            {linkLabel}
          </span>
          <span className="mono" data-testid="hub-address">
            {hubAccess().httpBase}
          </span>
          {version === undefined ? null : (
            <span className="muted" data-testid="hub-version">
              version {version}
            </span>
          )}
          <SelftestLine admin={session?.admin ?? false} />
        </div>
        {status.error === undefined ? null : (
          <p className="error-text" role="alert">
            Status: {status.error.code}: {status.error.message}
          </p>
        )}
      </section>
      <div className="grid overview-stats">
        <StatCard label="Uptime" value={data === undefined ? '—' : formatDuration(data.uptime * 1000)} testId="stat-uptime" />
        <StatCard
          label="Connections"
          value={data === undefined ? '—' : formatCount(data.total_connections)}
          testId="stat-connections"
          hint={data === undefined ? undefined : `${formatCount(data.active_connections)} signed in, at most ${formatCount(data.max_connections)}`}
        />
        <StatCard
          label="Agents online"
          value={agentsOnline === undefined ? '—' : formatCount(agentsOnline)}
          testId="stat-agents-online"
          hint={otherAgents === undefined ? undefined : `of ${formatCount(otherAgents.length)} known`}
        />
        <StatCard
          label="Messages"
          value={data === undefined || data.total_messages === null ? '—' : formatCount(data.total_messages)}
          testId="stat-messages"
          hint="stored"
        />
        <StatCard label="Tasks" value={totalTasks === undefined ? '—' : formatCount(totalTasks)} testId="stat-tasks" hint="all states" />
      </div>
      <FederationCard refreshMs={STATUS_REFRESH_MS} />
      <div className="grid overview-rates">
        <RateCard
          label="Message rate"
          perSecond={rates.messages}
          hour={messagesHour}
          hourLabel="Messages in the last hour"
          color="var(--chart-1)"
          testId="messages"
        />
        <RateCard label="Task rate" perSecond={rates.tasks} hour={tasksHour} hourLabel="Tasks created in the last hour" color="var(--chart-3)" testId="tasks" />
        <OpenAlertsCard admin={session?.admin ?? false} />
      </div>
    </div>
  );
}
