/** HTTP responses: JSON bodies, and errors as {"status":"error","error":{code,message}} in one place. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SwitchboardError } from '../../../shared/index.js';
import { jsonTooDeep } from '../ws/json-depth.js';
import type { Logger } from '../../common/logger.js';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

/** A validation error that also names a message per field (settings), sent as `error.fields`. */
export class FieldsError extends SwitchboardError {
  readonly fields: Readonly<Record<string, string>>;

  constructor(message: string, fields: Record<string, string>) {
    super('SB_ERR_VALIDATION', message);
    this.fields = fields;
  }
}

export function errorBody(error: SwitchboardError): { status: 'error'; error: { code: string; message: string; fields?: Readonly<Record<string, string>> } } {
  const body = { code: error.code, message: error.message };
  return { status: 'error', error: error instanceof FieldsError ? { ...body, fields: error.fields } : body };
}

export function sendError(res: ServerResponse, error: unknown, logger: Logger): void {
  if (!(error instanceof SwitchboardError)) {
    logger.error('an HTTP route failed', { error: error instanceof Error ? error.stack : String(error) });
  }
  const known = error instanceof SwitchboardError ? error : new SwitchboardError('SB_ERR_INTERNAL');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, known.status, errorBody(known));
}

/** Reads a JSON body up to `limit` bytes, nested no deeper than MAX_JSON_DEPTH; an empty body is `{}`. */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new SwitchboardError('SB_ERR_FRAME_TOO_LARGE', `the body is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  const text = Buffer.concat(chunks).toString('utf8');
  const tooDeep = jsonTooDeep(text);
  if (tooDeep !== undefined) throw tooDeep;
  try {
    return JSON.parse(text);
  } catch {
    throw new SwitchboardError('SB_ERR_BAD_JSON', 'the request body is not valid JSON');
  }
}
