/** `switchboard agents` and `switchboard tasks`: what GET /api/agents and GET /api/tasks return, as a table or `--json`. */
import type { AgentListing, TaskRecord } from '../../shared/index.js';
import { callHub, CliError, connectionFor } from './hub-client.js';
import { formatJson, formatTable } from './table.js';

export interface TaskListOptions {
  dataDir?: string;
  state?: string;
  from?: string;
  to?: string;
  limit: string;
  json?: boolean;
}

export async function agents(options: { dataDir?: string | undefined; json?: boolean | undefined }): Promise<void> {
  const listed = (await callHub(connectionFor(options.dataDir), 'GET', '/api/agents'))['agents'] as AgentListing[];
  if (options.json === true) {
    process.stdout.write(formatJson(listed));
    return;
  }
  const rows = listed.map((a) => [
    a.id,
    a.online ? 'online' : 'offline',
    String(a.connections),
    String(a.queue_depth),
    String(a.tasks_in_flight),
    a.last_seen ?? 'never',
  ]);
  process.stdout.write(formatTable(['agent', 'presence', 'connections', 'queued', 'tasks', 'last seen'], rows));
}

export async function tasks(options: TaskListOptions): Promise<void> {
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new CliError(`--limit must be a whole number from 1 to 1000 (got "${options.limit}")`);
  const query = new URLSearchParams({ limit: String(limit) });
  for (const key of ['state', 'from', 'to'] as const) {
    const value = options[key];
    if (value !== undefined) query.set(key, value);
  }
  const listed = (await callHub(connectionFor(options.dataDir), 'GET', `/api/tasks?${query.toString()}`))['tasks'] as TaskRecord[];
  if (options.json === true) {
    process.stdout.write(formatJson(listed));
    return;
  }
  const rows = listed.map((t) => [t.task_id, t.state, t.from, t.to, t.cmd, t.assigned_to ?? '-', t.created_at]);
  process.stdout.write(formatTable(['task', 'state', 'from', 'to', 'cmd', 'held by', 'created'], rows));
}
