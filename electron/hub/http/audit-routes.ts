/** The audit trail over HTTP: the latest entries (`/api/relay/logs`, seed) and the whole trail as JSON Lines. */
import type { ServerResponse } from 'node:http';
import { auditExportQuery, relayLogsQuery, type AuditEntry } from '../../../shared/index.js';
import type { HubServices } from '../services.js';
import { requireIdentity, route, type Route } from './http-router.js';
import { parseWith } from './parse.js';

/** Lines are gathered into chunks of about this many characters before a write. */
const CHUNK_CHARS = 64 * 1024;

/** Resolves when the response can take more, or is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Writes one JSON object per line, waiting for 'drain' whenever the socket's buffer is full, so a slow
 * reader holds back the export instead of filling the hub's memory. Stops when the client leaves or the
 * hub stops; the entries' iterator is then closed.
 */
async function sendJsonLines(res: ServerResponse, entries: Iterable<AuditEntry>, lifetime: AbortSignal): Promise<void> {
  res.writeHead(200, {
    'content-type': 'application/x-ndjson; charset=utf-8',
    'content-disposition': 'attachment; filename="switchboard-audit.jsonl"',
    'cache-control': 'no-store',
  });
  let chunk = '';
  for (const entry of entries) {
    chunk += `${JSON.stringify(entry)}\n`;
    if (chunk.length < CHUNK_CHARS) continue;
    const more = res.write(chunk);
    chunk = '';
    if (!more) await drained(res);
    if (res.destroyed || lifetime.aborted) {
      res.destroy();
      return;
    }
  }
  if (!res.destroyed) res.end(chunk);
}

export function auditRoutes(s: Pick<HubServices, 'audit' | 'lifetime'>): Route[] {
  const { audit } = s;
  return [
    route('relayLogs', {
      handle(ctx) {
        const identity = requireIdentity(ctx);
        const { limit } = parseWith(relayLogsQuery, Object.fromEntries(ctx.query), 'query');
        const logs = audit.latest(limit, identity.admin ? {} : { reader: identity.agent });
        return { body: { status: 'ok', logs } };
      },
    }),
    route('auditExport', {
      async handle(ctx) {
        const { since } = parseWith(auditExportQuery, Object.fromEntries(ctx.query), 'query');
        await sendJsonLines(ctx.res, audit.export(since === undefined ? {} : { since }), s.lifetime);
      },
    }),
  ];
}
