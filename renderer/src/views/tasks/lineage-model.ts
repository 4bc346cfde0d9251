/** A task's lineage as timeline rows, pure: offsets from the start, time since the entry before, how long an offer lasted, and where each entry links. */
import type { LineageEntry, LineageKind, LineageSource } from '../../../../shared/index.js';
import { href } from '../../route-paths.js';
import { shortTaskId, taskHref, type TaskListKind } from './task-links.js';

export interface TimelineLink {
  href: string;
  label: string;
  /** A task id, shown short: the whole id is in the title and can be copied. */
  title: string;
}

export interface TimelineRow {
  key: string;
  entry: LineageEntry;
  /** Milliseconds since the first entry. */
  offsetMs: number;
  /** Milliseconds since the entry before (0 for the first). */
  gapMs: number;
  /** How long the step lasted, when it has an end: an offer until it ended. */
  durationMs: number | undefined;
  tone: string;
  link: TimelineLink | undefined;
}

const TONES: Partial<Record<LineageKind, string>> = {
  origin: 'muted',
  message: 'muted',
  completed: 'ok',
  failed: 'danger',
  rejected: 'danger',
  alert: 'danger',
  canceled: 'muted',
  requeued: 'warn',
  question: 'warn',
  retried: 'info',
  retry_of: 'info',
};

/** The colour of an entry's kind; a callback by how it went. */
export function kindTone(entry: LineageEntry): string {
  if (entry.kind === 'callback') {
    const outcome = entry.detail['outcome'];
    return outcome === 'delivered' ? 'ok' : outcome === 'retrying' ? 'warn' : 'danger';
  }
  if (entry.kind === 'offered') {
    const outcome = entry.detail['outcome'];
    return outcome === 'completed'
      ? 'ok'
      : outcome === 'expired' || outcome === 'revoked'
        ? 'warn'
        : outcome === 'failed' || outcome === 'rejected'
          ? 'danger'
          : 'info';
  }
  return TONES[entry.kind] ?? 'info';
}

/** Where an entry's source opens in the dashboard: the message in its conversation, the audit entry, the alert, or the other task. */
export function sourceLink(source: LineageSource, taskId: string, list: TaskListKind): TimelineLink | undefined {
  switch (source.type) {
    case 'message':
      return {
        href: href('conversations', source.conversation_id, { seq: String(source.seq) }),
        label: `#${source.seq} in ${source.conversation_id}`,
        title: 'Open the message',
      };
    case 'audit':
      return { href: href('audit', undefined, { subject: taskId, entry: `e_${source.id}` }), label: 'audit', title: `Audit entry e_${source.id}` };
    case 'alert':
      return { href: href('metrics', undefined, { alert: String(source.id) }), label: `alert ${source.id}`, title: 'Open the alert' };
    case 'task':
      // The task's own row stands in for a pruned event: no link to itself.
      return source.task_id === taskId ? undefined : { href: taskHref(source.task_id, list), label: shortTaskId(source.task_id), title: source.task_id };
  }
}

export function timelineRows(entries: readonly LineageEntry[], taskId: string, list: TaskListKind): TimelineRow[] {
  const first = entries[0] === undefined ? 0 : Date.parse(entries[0].ts);
  let previous = first;
  return entries.map((entry, index) => {
    const at = Date.parse(entry.ts);
    const ended = entry.kind === 'offered' && typeof entry.detail['ended_at'] === 'string' ? Date.parse(entry.detail['ended_at']) : Number.NaN;
    const row: TimelineRow = {
      key: `${index}:${entry.kind}:${entry.ts}`,
      entry,
      offsetMs: at - first,
      gapMs: at - previous,
      durationMs: Number.isNaN(ended) ? undefined : ended - at,
      tone: kindTone(entry),
      link: sourceLink(entry.source, taskId, list),
    };
    previous = at;
    return row;
  });
}

/** An offset as the timeline shows it: `+0 ms`, `+850 ms`, `+1.2 s`, `+3 min 4 s`, `+2 h 5 min`. */
export function formatOffset(ms: number): string {
  const sign = ms < 0 ? '−' : '+';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(abs < 10_000 ? 1 : 0)} s`;
  if (abs < 3_600_000) {
    const minutes = Math.floor(abs / 60_000);
    const seconds = Math.floor((abs % 60_000) / 1000);
    return `${sign}${minutes} min${seconds === 0 ? '' : ` ${seconds} s`}`;
  }
  const hours = Math.floor(abs / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  return `${sign}${hours} h${minutes === 0 ? '' : ` ${minutes} min`}`;
}

/** The kind as a person reads it. */
export function kindLabel(kind: LineageKind): string {
  return kind === 'retry_of' ? 'retry of' : kind;
}
