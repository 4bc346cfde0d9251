/** How CLI commands reach a running hub: the connection file, then HTTP with its admin token. */
import { readConnectionFile, connectionFilePath, type ConnectionInfo } from '../common/connection-file.js';
import { resolveDataDir } from '../common/data-dir.js';

export class CliError extends Error {}

/** Nothing answers at the address in connection.json: the hub is not running (or crashed). */
export class HubUnreachableError extends CliError {}

export function connectionFor(dataDirFlag: string | undefined): ConnectionInfo {
  const dataDir = resolveDataDir(dataDirFlag);
  const info = readConnectionFile(dataDir);
  if (info === undefined) {
    throw new CliError(`No running hub found: ${connectionFilePath(dataDir)} is missing. Start one with: switchboard serve`);
  }
  return info;
}

/** Calls the hub's HTTP API; a hub error becomes a CliError carrying its code and message. */
export async function callHub(
  info: ConnectionInfo,
  method: string,
  path: string,
  options: { body?: unknown; agent?: string | undefined } = {},
): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { authorization: `Bearer ${info.token}` };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.agent !== undefined) headers['x-agent-name'] = options.agent;
  let response: Response;
  try {
    response = await fetch(`${info.http}${path}`, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
  } catch {
    throw new HubUnreachableError(`Switchboard is not running: nothing answers at ${info.http}. Start it with: switchboard serve`);
  }
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) {
    const error = body['error'] as { code?: string; message?: string } | undefined;
    throw new CliError(`${error?.code ?? response.status}: ${error?.message ?? response.statusText}`);
  }
  return body;
}
