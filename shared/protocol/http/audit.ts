/** The audit trail over HTTP: the latest entries (`/api/relay/logs`, the seed's) and the whole trail as JSON Lines. */
import { z } from 'zod';
import { isoTime } from '../common.js';
import { storedMessage } from '../server-frames.js';
import { okStatus, pageLimit, timeParam } from './common.js';
import { defineRoute } from './route.js';

/** Fields every entry has, whichever table it comes from. */
const entryFields = {
  /** When it happened. */
  ts: isoTime,
  /** `e_<n>` for an event, `m_<seq>` for a message (the message's own id). Unique across the trail. */
  id: z.string(),
  /** Who did it (a message's sender); null when nobody did, as for `hub_started`. */
  actor: z.string().nullable(),
  /** What it is about (a message's conversation, a task id, a token id, a request line); null when nothing. */
  subject: z.string().nullable(),
};

/** A hub event, its detail's fields spread in (a detail that would shadow these fields is kept whole as `detail`). */
export const auditEvent = z.looseObject({
  ...entryFields,
  source: z.literal('event'),
  /** `auth_failure`, `token_created`, `token_revoked`, `hub_started`, `hub_stopped`, `conversation_created`, `task.<event>`, … */
  kind: z.string(),
});

/** A stored message: the message's own fields, with `ts` for its `created_at`. */
export const auditMessage = storedMessage
  .omit({ id: true, created_at: true })
  .extend({ ...entryFields, source: z.literal('message'), kind: z.literal('message') });

export const auditEntry = z.discriminatedUnion('source', [auditEvent, auditMessage]);
export type AuditEntry = z.output<typeof auditEntry>;

export const relayLogsQuery = z.object({ limit: pageLimit(50) });
export type RelayLogsQuery = z.input<typeof relayLogsQuery>;

/** The newest entries, oldest first; a token that is not the admin's sees no messages of members-only conversations it is not in. */
export const relayLogsResponse = z.object({ status: okStatus, logs: z.array(auditEntry) });

/** Entries at or after `since`. */
export const auditExportQuery = z.object({ since: timeParam.optional() });
export type AuditExportQuery = z.input<typeof auditExportQuery>;

export const auditApi = {
  relayLogs: defineRoute({ method: 'GET', path: '/api/relay/logs', access: 'token', query: relayLogsQuery, ok: [200], response: relayLogsResponse }),
  /** Every entry, oldest first, as a download of one JSON object per line. */
  auditExport: defineRoute({
    method: 'GET',
    path: '/api/audit/export',
    access: 'admin',
    query: auditExportQuery,
    ok: [200],
    response: auditEntry,
    format: 'json-lines',
  }),
};
