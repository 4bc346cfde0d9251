/** How the audit view filters and summarises the entries `/api/relay/logs` returns, pure. */
import type { AuditEntry } from '../../../../shared/index.js';

/** Kinds that come in families: `task.created`, `task.failed`, …; `token_created`, `token_revoked`. */
export const KIND_GROUPS: { value: string; label: string }[] = [
  { value: 'message', label: 'messages' },
  { value: 'task.*', label: 'task events (task.*)' },
  { value: 'token_*', label: 'token events (token_*)' },
  { value: 'auth_failure', label: 'auth failures' },
  { value: 'session_*', label: 'browser sessions (session_*)' },
  { value: 'conversation_*', label: 'conversation events' },
  { value: 'callback_*', label: 'callbacks' },
];

export interface AuditFilter {
  /** A kind, or a family ending in `*`; blank for any. */
  kind: string;
  actor: string;
  subject: string;
  text: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilter = { kind: '', actor: '', subject: '', text: '' };

export function kindMatches(kind: string, wanted: string): boolean {
  if (wanted === '') return true;
  return wanted.endsWith('*') ? kind.startsWith(wanted.slice(0, -1)) : kind === wanted;
}

function contains(value: string | null, wanted: string): boolean {
  return wanted === '' || (value ?? '').toLowerCase().includes(wanted.toLowerCase());
}

export function filterEntries(entries: readonly AuditEntry[], filter: AuditFilter): AuditEntry[] {
  const text = filter.text.trim().toLowerCase();
  return entries.filter(
    (entry) =>
      kindMatches(entry.kind, filter.kind) &&
      contains(entry.actor, filter.actor.trim()) &&
      contains(entry.subject, filter.subject.trim()) &&
      (text === '' || JSON.stringify(entry).toLowerCase().includes(text)),
  );
}

const COMMON_FIELDS = new Set(['ts', 'id', 'source', 'kind', 'actor', 'subject']);
const SUMMARY_CHARS = 200;

function short(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** One line for the list: a message's type and text, or an event's own fields as `key=value`. */
export function summarise(entry: AuditEntry): string {
  let line: string;
  if (entry.source === 'message') {
    const type = typeof entry['message_type'] === 'string' && entry['message_type'] !== 'message' ? `[${entry['message_type']}] ` : '';
    line = `${type}${short(entry['content'] ?? '')}`;
  } else {
    line = Object.entries(entry)
      .filter(([key, value]) => !COMMON_FIELDS.has(key) && value !== null && value !== undefined)
      .map(([key, value]) => `${key}=${short(value)}`)
      .join('  ');
  }
  return line.length > SUMMARY_CHARS ? `${line.slice(0, SUMMARY_CHARS - 1)}…` : line;
}

/** Every kind seen in the entries, A to Z, for the filter beside the families. */
export function seenKinds(entries: readonly AuditEntry[]): string[] {
  return [...new Set(entries.map((entry) => entry.kind))].sort();
}
