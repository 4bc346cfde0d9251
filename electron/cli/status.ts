/** `switchboard status`: is the hub running, where, and how busy. */
import type { DatabaseStatus } from '../hub/index.js';
import { callHub, connectionFor } from './hub-client.js';

export async function status(values: { dataDir?: string | undefined; json?: boolean | undefined }): Promise<void> {
  const info = connectionFor(values.dataDir);
  const body = await callHub(info, 'GET', '/ws/status');
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return;
  }
  const lines = [
    `Switchboard is running at ${info.http} (pid ${info.pid})`,
    `  uptime          ${Math.round(Number(body['uptime']))} s`,
    `  connections     ${String(body['total_connections'])} of ${String(body['max_connections'])}`,
    `  agents online   ${String(body['agents_online'])}`,
    `  messages stored ${String(body['total_messages'])}`,
    ...databaseLines(body['database'] as DatabaseStatus | undefined),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** A damaged database (the hub is read-only) or failing writes, with how to restore; nothing while healthy. */
function databaseLines(database: DatabaseStatus | undefined): string[] {
  if (database === undefined || database.state === 'healthy') return [];
  const state = database.state === 'damaged' ? 'damaged, the hub is read-only' : 'writes failing';
  return [`  database        ${state}: ${database.reason ?? ''}`, ...(database.advice === undefined ? [] : [`  ${database.advice}`])];
}
