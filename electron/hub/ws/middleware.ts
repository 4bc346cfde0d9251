/** The middleware every frame passes through: counting, authentication, schema validation. */
import { describeIssues, SwitchboardError } from '../../../shared/protocol/index.js';
import type { Middleware } from './router.js';

/** Counts frames by type, for /ws/status and the metrics endpoint. */
export function countingMiddleware(counts: Map<string, number>): Middleware {
  return {
    name: 'count',
    run(ctx, next) {
      ctx.conn.framesIn++;
      counts.set(ctx.type, (counts.get(ctx.type) ?? 0) + 1);
      return next();
    },
  };
}

/** Only `hello` may come before the connection is authenticated, and nothing while it waits for approval. */
export const authMiddleware: Middleware = {
  name: 'auth',
  run(ctx, next) {
    if (ctx.conn.awaitingApproval !== undefined) {
      throw new SwitchboardError(
        'SB_ERR_NOT_APPROVED',
        `agent "${ctx.conn.awaitingApproval}" waits for the person at this machine to allow it; "${ctx.type}" was not handled`,
      );
    }
    if (ctx.conn.identity === undefined && ctx.handler.public !== true) {
      throw new SwitchboardError('SB_ERR_AUTH_REQUIRED', `send {"type":"hello","token":"…"} before "${ctx.type}"`);
    }
    return next();
  },
};

/** Parses the frame with its type's schema; a failure names the field. */
export const validationMiddleware: Middleware = {
  name: 'validate',
  run(ctx, next) {
    const result = ctx.handler.schema.safeParse(ctx.raw);
    if (!result.success) {
      throw new SwitchboardError('SB_ERR_VALIDATION', `invalid "${ctx.type}" frame: ${describeIssues(result.error)}`);
    }
    ctx.frame = result.data;
    return next();
  },
};
