/**
 * The frame router: a registry of handlers by frame type, wrapped in middleware. New frame types are
 * one handler module each; errors become error frames here and nowhere else.
 */
import type { z } from 'zod';
import { SwitchboardError } from '../../../shared/protocol/index.js';
import type { Connection, Identity } from './connection.js';
import { jsonTooDeep } from './json-depth.js';
import type { Logger } from '../../common/logger.js';

export type RequestId = string | number | undefined;

/** Malformed frames a connection may send in a row (with no frame reaching its handler between them) before it is closed. */
export const MAX_MALFORMED_IN_ROW = 100;

/** Refusals that mean the frame itself was wrong, rather than what it asked for. */
const MALFORMED = new Set<string>(['SB_ERR_BAD_JSON', 'SB_ERR_BAD_FRAME', 'SB_ERR_UNKNOWN_TYPE', 'SB_ERR_VALIDATION', 'SB_ERR_AUTH_REQUIRED']);

export interface FrameContext {
  conn: Connection;
  type: string;
  /** The request id the reply must echo as `re`. */
  re: RequestId;
  /** The parsed JSON object as received. */
  raw: Record<string, unknown>;
  /** The frame after its schema parsed it (set by the validation middleware). */
  frame: unknown;
  handler: HandlerSpec;
}

export interface HandlerSpec<S extends z.ZodType = z.ZodType> {
  type: string;
  schema: S;
  /** True for frames allowed before authentication (only hello). */
  public?: boolean;
  handle(ctx: FrameContext & { frame: z.output<S> }): void | Promise<void>;
}

export type Middleware = { name: string; run(ctx: FrameContext, next: () => void | Promise<void>): void | Promise<void> };

/** Adds `re` to a reply when the request carried an id. */
export function reply(ctx: FrameContext, frame: Record<string, unknown>): void {
  ctx.conn.sendFrame(ctx.re === undefined ? frame : { ...frame, re: ctx.re });
}

/** The identity of an authenticated connection; the auth middleware guarantees there is one. */
export function identityOf(ctx: FrameContext): Identity {
  const identity = ctx.conn.identity;
  if (identity === undefined) throw new SwitchboardError('SB_ERR_AUTH_REQUIRED');
  return identity;
}

export function sendError(conn: Connection, re: RequestId, error: SwitchboardError): void {
  const frame: Record<string, unknown> = { type: 'error', code: error.code, message: error.message };
  if (re !== undefined) frame['re'] = re;
  conn.sendFrame(frame);
}

/**
 * @param translate turns a handler's error into the one to report (the database health's: damage and
 *   failing writes become SB_ERR_READ_ONLY and SB_ERR_STORAGE).
 */
export function createRouter(logger: Logger, translate: (error: unknown) => unknown = (error) => error) {
  const handlers = new Map<string, HandlerSpec>();
  const middleware: Middleware[] = [];

  const fail = (conn: Connection, re: RequestId, thrown: unknown): void => {
    const error = translate(thrown);
    if (error instanceof SwitchboardError) {
      sendError(conn, re, error);
      if (MALFORMED.has(error.code) && ++conn.malformedInRow >= MAX_MALFORMED_IN_ROW) {
        conn.failWith('SB_ERR_BAD_FRAME', `${MAX_MALFORMED_IN_ROW} malformed frames in a row; fix the client and reconnect`);
      }
      return;
    }
    logger.error('a frame handler failed', { error: error instanceof Error ? error.stack : String(error), client: conn.id });
    sendError(conn, re, new SwitchboardError('SB_ERR_INTERNAL', 'the hub could not handle this frame; it keeps running'));
  };

  const run = (ctx: FrameContext, index: number): void | Promise<void> => {
    const layer = middleware[index];
    if (layer === undefined) {
      ctx.conn.malformedInRow = 0;
      return ctx.handler.handle(ctx);
    }
    return layer.run(ctx, () => run(ctx, index + 1));
  };

  return {
    register<S extends z.ZodType>(spec: HandlerSpec<S>): void {
      if (handlers.has(spec.type)) throw new Error(`a handler for "${spec.type}" is already registered`);
      handlers.set(spec.type, spec as unknown as HandlerSpec);
    },
    use(layer: Middleware): void {
      middleware.push(layer);
    },
    types(): string[] {
      return [...handlers.keys()];
    },
    /** Throws, naming them, when some of `types` have no handler: a frame the protocol defines must never be "unknown". */
    requireHandlers(types: readonly string[]): void {
      const missing = types.filter((type) => !handlers.has(type));
      if (missing.length === 0) return;
      const names = missing.map((type) => `"${type}"`).join(', ');
      throw new Error(`the hub has no handler for the client frame type${missing.length === 1 ? '' : 's'} ${names}; register one in handlers/index.ts`);
    },
    middlewareNames(): string[] {
      return middleware.map((m) => m.name);
    },
    /** Answers a frame that is not even text (a binary frame), counting it as malformed. */
    refuse(conn: Connection, error: SwitchboardError): void {
      fail(conn, undefined, error);
    },
    /** Handles one text frame; nothing a client sends can throw out of here. */
    dispatch(conn: Connection, text: string): void {
      let raw: unknown;
      const tooDeep = jsonTooDeep(text);
      if (tooDeep !== undefined) {
        fail(conn, undefined, tooDeep);
        return;
      }
      try {
        raw = JSON.parse(text);
      } catch {
        fail(conn, undefined, new SwitchboardError('SB_ERR_BAD_JSON', `the frame is not valid JSON (${text.length} characters received)`));
        return;
      }
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || typeof (raw as { type?: unknown }).type !== 'string') {
        fail(conn, undefined, new SwitchboardError('SB_ERR_BAD_FRAME', 'a frame must be a JSON object with a string "type"'));
        return;
      }
      const object = raw as Record<string, unknown>;
      const id = object['id'];
      const re: RequestId = typeof id === 'string' || typeof id === 'number' ? id : undefined;
      const type = object['type'] as string;
      const handler = handlers.get(type);
      if (handler === undefined) {
        fail(conn, re, new SwitchboardError('SB_ERR_UNKNOWN_TYPE', `unknown frame type "${type.slice(0, 100)}"; GET /ws/handlers lists the known ones`));
        return;
      }
      try {
        const pending = run({ conn, type, re, raw: object, frame: undefined, handler }, 0);
        if (pending !== undefined) pending.catch((error: unknown) => fail(conn, re, error));
      } catch (error) {
        fail(conn, re, error);
      }
    },
  };
}

export type Router = ReturnType<typeof createRouter>;
