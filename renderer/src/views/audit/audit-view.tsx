/**
 * The audit log: a live tail of the hub's trail (`/api/relay/logs`, read every 2 s), filtered here, with a
 * Pause so a person can read, and (admin) an export of the whole trail as JSON Lines.
 */
import { useMemo, useState } from 'react';
import { httpRoutes, type AuditEntry } from '../../../../shared/index.js';
import { EmptyState } from '../../components/empty-state.js';
import { HubErrorText } from '../../components/hub-error-text.js';
import { useHubAction } from '../../components/use-hub-action.js';
import { useHubQuery } from '../../components/use-hub-query.js';
import { useRoute } from '../../router.js';
import { useStore } from '../../store/store.js';
import { AuditFilters } from './audit-filters.js';
import { AuditList } from './audit-list.js';
import { EMPTY_AUDIT_FILTER, filterEntries, seenKinds, type AuditFilter } from './audit-model.js';
import { downloadAuditExport } from './download-export.js';
import './audit.css';

const POLL_MS = 2000;
const LIMITS = [100, 200, 500, 1000] as const;

/**
 * Entries never change once written, so an entry read again keeps its first object: rows that did not
 * change are not rendered again on every poll.
 */
function useStableEntries(fresh: readonly AuditEntry[] | undefined): AuditEntry[] {
  const [stable, setStable] = useState<{ fresh: readonly AuditEntry[] | undefined; entries: AuditEntry[] }>({ fresh: undefined, entries: [] });
  if (stable.fresh === fresh) return stable.entries;
  const kept = new Map(stable.entries.map((entry) => [entry.id, entry]));
  const entries = (fresh ?? []).map((entry) => kept.get(entry.id) ?? entry);
  setStable({ fresh, entries });
  return entries;
}

export function AuditView() {
  const [paused, setPaused] = useState(false);
  const [limit, setLimit] = useState<number>(200);
  // A link from elsewhere (a task's lineage) names a subject to filter by and an entry to open: `#/audit?subject=…&entry=e_12`.
  const route = useRoute();
  const focus = route.query.get('entry') ?? undefined;
  const [filter, setFilter] = useState<AuditFilter>(() => ({ ...EMPTY_AUDIT_FILTER, subject: route.query.get('subject') ?? '' }));
  const admin = useStore((s) => s.session?.admin === true);
  // Paused, the query has no path: nothing is fetched and the last answer stays on screen.
  const query = useHubQuery(paused ? undefined : httpRoutes.relayLogs, { query: { limit }, refreshMs: POLL_MS });
  const entries = useStableEntries(query.data?.logs);
  const shown = useMemo(() => filterEntries(entries, filter), [entries, filter]);
  const kinds = useMemo(() => seenKinds(entries), [entries]);
  const exporting = useHubAction();

  return (
    <div className="audit-view">
      <div className="toolbar">
        <button type="button" className={paused ? 'primary' : undefined} aria-pressed={paused} onClick={() => setPaused((p) => !p)}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <span className="muted" role="status" data-testid="audit-status">
          {paused ? 'Paused — new entries are not read.' : 'Live — read every 2 s.'} Showing {shown.length} of the latest {entries.length}.
        </span>
        <label className="audit-limit">
          Latest{' '}
          <select value={limit} onChange={(event) => setLimit(Number(event.target.value))}>
            {LIMITS.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        {admin ? (
          <button type="button" disabled={exporting.busy} onClick={() => void exporting.run(downloadAuditExport)} title="The whole trail as JSON Lines">
            {exporting.busy ? 'Exporting…' : 'Export'}
          </button>
        ) : null}
      </div>
      <HubErrorText error={exporting.error} />
      <AuditFilters filter={filter} onFilter={setFilter} kinds={kinds} />
      <HubErrorText error={query.error} />
      {query.data === undefined ? null : entries.length === 0 ? (
        <EmptyState title="The audit log is empty">
          Sign-ins, tokens, messages and task changes appear here as they happen. Run <code>npm run demo</code> to see it move.
        </EmptyState>
      ) : shown.length === 0 ? (
        <EmptyState title="No entries match these filters">
          <button type="button" onClick={() => setFilter(EMPTY_AUDIT_FILTER)}>
            Clear filters
          </button>
        </EmptyState>
      ) : (
        <AuditList entries={shown} focus={focus} />
      )}
    </div>
  );
}
