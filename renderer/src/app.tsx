/** The window's frame: navigation, the link status line, and the view the route names. */
import { useEffect, useState } from 'react';
import { httpRoutes } from '../../shared/index.js';
import { api, HubRequestError, setHubAccess } from './api/http.js';
import { resolveHubAccess } from './api/hub-access.js';
import { startLive } from './api/live.js';
import { href, useRoute, VIEWS, type ViewName } from './router.js';
import { useStore } from './store/store.js';
import { ApprovalBanner } from './components/approval-banner.js';
import { AgentsView } from './views/agents/agents-view.js';
import { AuditView } from './views/audit/audit-view.js';
import { ConversationsView } from './views/conversations/conversations-view.js';
import { MetricsView } from './views/metrics/metrics-view.js';
import { OverviewView } from './views/overview/overview-view.js';
import { SettingsView } from './views/settings/settings-view.js';
import { TasksView } from './views/tasks/tasks-view.js';

const TITLES: Record<ViewName, string> = {
  overview: 'Overview',
  conversations: 'Conversations',
  tasks: 'Tasks',
  metrics: 'Metrics',
  agents: 'Agents',
  audit: 'Audit log',
  settings: 'Settings',
};

const VIEW_COMPONENTS: Record<ViewName, () => React.JSX.Element> = {
  overview: OverviewView,
  conversations: ConversationsView,
  tasks: TasksView,
  metrics: MetricsView,
  agents: AgentsView,
  audit: AuditView,
  settings: SettingsView,
};

type Boot = { state: 'loading' } | { state: 'ready' } | { state: 'signed-out' } | { state: 'failed'; message: string };

export function App() {
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const access = await resolveHubAccess();
      setHubAccess(access);
      const session = await api(httpRoutes.session);
      if (cancelled) return;
      setBoot({ state: 'ready' });
      await startLive(access, { agent: session.agent, admin: session.admin });
    })().catch((error: unknown) => {
      if (cancelled) return;
      // SB_ERR_RATE_LIMITED: this browser's session was refused, after many other refused attempts from this machine.
      if (error instanceof HubRequestError && (error.status === 401 || error.code === 'SB_ERR_AUTH' || error.code === 'SB_ERR_RATE_LIMITED'))
        setBoot({ state: 'signed-out' });
      else setBoot({ state: 'failed', message: error instanceof Error ? error.message : String(error) });
    });
    return () => {
      cancelled = true;
    };
  }, []);

  if (boot.state === 'loading') return <div className="boot">Connecting to the hub…</div>;
  if (boot.state === 'signed-out') return <SignedOut />;
  if (boot.state === 'failed') return <div className="boot boot-error">Could not reach the hub: {boot.message}</div>;
  return <Shell />;
}

function SignedOut() {
  return (
    <main className="boot">
      <h1>Sign in to Switchboard</h1>
      <p>This page needs a login link from the hub. On this machine, run:</p>
      <pre className="command">switchboard open</pre>
      <p>It prints a one-time link (and opens it in your browser). Links work once and expire after 10 minutes.</p>
    </main>
  );
}

function Shell() {
  const route = useRoute();
  const View = VIEW_COMPONENTS[route.view];
  useEffect(() => {
    document.title = `${TITLES[route.view]} · Switchboard`;
  }, [route.view]);
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Views">
        <div className="brand">
          <img src="/favicon.svg" alt="" width={22} height={22} />
          <span>Switchboard</span>
        </div>
        <ul>
          {VIEWS.map((view) => (
            <li key={view}>
              <a href={href(view)} aria-current={route.view === view ? 'page' : undefined} data-view={view}>
                {TITLES[view]}
                <NavBadge view={view} />
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="main">
        <LinkBanner />
        <ApprovalBanner />
        <main className="view" data-testid={`view-${route.view}`}>
          <h1 className="view-title">{TITLES[route.view]}</h1>
          <View />
        </main>
      </div>
    </div>
  );
}

function NavBadge({ view }: { view: ViewName }) {
  const count = useStore((s) => {
    if (view === 'conversations') return Object.values(s.activity).reduce((sum, a) => sum + a.unread, 0);
    if (view === 'metrics') return Object.values(s.alerts).filter((a) => a.state === 'open').length;
    return 0;
  });
  if (count === 0) return null;
  return (
    <span className="badge" aria-label={`${count} new`}>
      {count > 999 ? '999+' : count}
    </span>
  );
}

/** Says when the hub is gone and when it is back; the client core reconnects by itself. */
function LinkBanner() {
  const link = useStore((s) => s.link);
  const note = useStore((s) => s.linkNote);
  // Whether the note's time on screen is over; every change of the link or its note shows the note anew.
  const [seen, setSeen] = useState({ link, note, over: false });
  if (seen.link !== link || seen.note !== note) setSeen({ link, note, over: false });
  useEffect(() => {
    if (link !== 'connected' || note === undefined) return;
    const timer = setTimeout(() => setSeen({ link, note, over: true }), 4000);
    return () => clearTimeout(timer);
  }, [link, note]);
  const shownNote = seen.link === link && seen.note === note && seen.over ? undefined : note;
  const label = link === 'connected' ? 'Connected' : link === 'reconnecting' ? 'Reconnecting' : link === 'closed' ? 'Closed' : 'Connecting';
  return (
    <header className="topbar">
      <span className={`link-dot link-${link}`} aria-hidden="true" />
      <span className="link-label" data-testid="link-status">
        {label}
      </span>
      {shownNote === undefined ? null : (
        <span className={`link-note ${link === 'connected' ? 'ok' : 'warn'}`} role="status">
          {shownNote}
        </span>
      )}
    </header>
  );
}
