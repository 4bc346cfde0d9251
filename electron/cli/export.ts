/** `switchboard export audit [--since TIME]`: the hub's audit trail as JSON Lines on stdout, streamed as it is read. */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { CliError, connectionFor } from './hub-client.js';

/** The hub's `{"status":"error","error":{code,message}}` as a one-line reason. */
async function errorOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    return `${body.error?.code ?? response.status}: ${body.error?.message ?? response.statusText}`;
  } catch {
    return `HTTP ${response.status} ${response.statusText}`;
  }
}

export async function exportAudit(values: { dataDir?: string | undefined; since?: string | undefined }): Promise<void> {
  const info = connectionFor(values.dataDir);
  const query = values.since === undefined ? '' : `?since=${encodeURIComponent(values.since)}`;
  let response: Response;
  try {
    response = await fetch(`${info.http}/api/audit/export${query}`, { headers: { authorization: `Bearer ${info.token}` } });
  } catch {
    throw new CliError(`Switchboard is not running: nothing answers at ${info.http}. Start it with: switchboard serve`);
  }
  if (!response.ok || response.body === null) throw new CliError(await errorOf(response));
  try {
    // pipeline waits whenever stdout is full, so a slow reader (a pipe, a slow disk) slows the hub's export down.
    await pipeline(Readable.fromWeb(response.body as ReadableStream<Uint8Array>), process.stdout);
  } catch (error) {
    // The reader went away (`| head`): what it wanted was written.
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return;
    throw new CliError(`The export was cut off (${error instanceof Error ? error.message : String(error)}): the output is incomplete.`);
  }
}
