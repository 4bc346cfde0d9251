/** `switchboard export audit [--since TIME]`: the hub's audit trail as JSON Lines on stdout, streamed as it is read. */
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { CliError, connectionFor } from './hub-client.js';
import { formatBytes, NO_TERMINAL, progressLine, type Progress } from './progress.js';

/** The hub's `{"status":"error","error":{code,message}}` as a one-line reason. */
async function errorOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    return `${body.error?.code ?? response.status}: ${body.error?.message ?? response.statusText}`;
  } catch {
    return `HTTP ${response.status} ${response.statusText}`;
  }
}

/** Passes the export through, counting entries and bytes for the terminal, at most four times a second. */
function counting(progress: Progress): Transform {
  let entries = 0;
  let bytes = 0;
  let shownAt = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) entries++;
      if (Date.now() - shownAt >= 250) {
        shownAt = Date.now();
        progress.update(`Exporting the audit trail… ${entries} entries (${formatBytes(bytes)})`);
      }
      done(null, chunk);
    },
  });
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
    // Only when the entries go to a file or a pipe: on a terminal they are the progress.
    const progress = progressLine(process.stdout.isTTY === true ? NO_TERMINAL : process.stderr);
    const source = Readable.fromWeb(response.body as ReadableStream<Uint8Array>);
    try {
      await (progress.active ? pipeline(source, counting(progress), process.stdout) : pipeline(source, process.stdout));
    } finally {
      progress.done();
    }
  } catch (error) {
    // The reader went away (`| head`): what it wanted was written.
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return;
    throw new CliError(`The export was cut off (${error instanceof Error ? error.message : String(error)}): the output is incomplete.`);
  }
}
