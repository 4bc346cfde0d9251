/**
 * A task's story as a trace: each entry at its offset from the first, with the time since the one before,
 * who did it and what happened, and a link to where it is stored (the message, the audit entry, the alert,
 * the retried or retrying task). Read again whenever the task changes.
 */
import { httpRoutes } from '../../../../shared/index.js';
import { formatDateTime, formatDuration, formatTime } from '../../components/format.js';
import { HubErrorText } from '../../components/hub-error-text.js';
import { useHubQuery } from '../../components/use-hub-query.js';
import { formatOffset, kindLabel, timelineRows, type TimelineRow } from './lineage-model.js';
import type { TaskListKind } from './task-links.js';

/** Read again this often too: callbacks, alerts and messages about the task change no task field, so no push tells of them. */
const REFRESH_MS = 3000;

export function TaskLineage({ taskId, list, refreshOn }: { taskId: string; list: TaskListKind; refreshOn: unknown }) {
  const query = useHubQuery(httpRoutes.taskLineage, { params: { id: taskId }, refreshOn, refreshMs: REFRESH_MS });
  const data = query.data?.task.task_id === taskId ? query.data : undefined;
  if (data === undefined) return query.error === undefined ? <p className="muted">Loading…</p> : <HubErrorText error={query.error} />;
  const rows = timelineRows(data.entries, taskId, list);
  return (
    <>
      <ol className="lineage" aria-label="Lineage" data-testid="task-lineage">
        {rows.map((row) => (
          <LineageRow key={row.key} row={row} />
        ))}
      </ol>
      {data.truncated ? <p className="muted">The story is longer: only its beginning is shown.</p> : null}
    </>
  );
}

function LineageRow({ row }: { row: TimelineRow }) {
  const { entry, link } = row;
  return (
    <li className="lineage-entry" data-testid="lineage-entry" data-kind={entry.kind}>
      <span className="lineage-offset mono" title={row.gapMs === 0 ? undefined : `${formatOffset(row.gapMs)} after the entry before`}>
        {formatOffset(row.offsetMs)}
      </span>
      <span className={`lineage-dot lineage-dot-${row.tone}`} aria-hidden="true" />
      <div className="lineage-body">
        <div className="row lineage-head">
          <span className={`chip chip-${row.tone}`}>{kindLabel(entry.kind)}</span>
          <span className="lineage-actor">{entry.actor ?? 'hub'}</span>
          <time className="muted" dateTime={entry.ts} title={formatDateTime(entry.ts)}>
            {formatTime(entry.ts)}
          </time>
          {row.durationMs === undefined ? null : <span className="muted">lasted {formatDuration(row.durationMs)}</span>}
          {link === undefined ? null : (
            <a className="lineage-link" href={link.href} title={link.title} data-source={entry.source.type}>
              {link.label}
            </a>
          )}
        </div>
        <div className="lineage-summary">{entry.summary}</div>
      </div>
    </li>
  );
}
