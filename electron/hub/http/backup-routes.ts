/** `POST /api/backups` (admin): a consistent copy of the database, written while the hub keeps serving. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createBackupRequest, type httpRoutes, type HttpResponse } from '../../../shared/index.js';
import { backupsFolder, manualBackupName } from '../backup/backup-file.js';
import type { BackupResult } from '../backup/backup-export.js';
import type { HubServices } from '../services.js';
import { requireIdentity, route, type Route } from './http-router.js';
import { asObject, parseWith } from './parse.js';

/** The result as the HTTP API spells fields (snake_case). */
function backupBody(result: BackupResult): HttpResponse<typeof httpRoutes.createBackup>['backup'] {
  return {
    file: result.file,
    bytes: result.bytes,
    schema_version: result.schemaVersion,
    messages: result.messages,
    tasks: result.tasks,
    last_seq: result.lastSeq,
    created_at: result.createdAt,
  };
}

export function backupRoutes(s: Pick<HubServices, 'backups' | 'config' | 'clock'>): Route[] {
  return [
    route('createBackup', {
      async handle(ctx) {
        const { path } = parseWith(createBackupRequest, asObject(await ctx.body()), 'backup request');
        let destination = path;
        if (destination === undefined) {
          const folder = backupsFolder(s.config.dataDir);
          mkdirSync(folder, { recursive: true, mode: 0o700 });
          destination = join(folder, manualBackupName(s.clock.now()));
        }
        const result = await s.backups.backup(destination, requireIdentity(ctx).agent);
        return { status: 201, body: { status: 'ok', backup: backupBody(result) } };
      },
    }),
  ];
}
