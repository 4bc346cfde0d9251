/** `inbox_ack`: the agent has what its offline queue sent up to `up_to`; those entries (and a receipt it saw) go. */
import { inboxAckFrame } from '../../../shared/index.js';
import { notStored } from '../store/commit-queue.js';
import { identityOf, reply, sendError, type HandlerSpec } from '../ws/router.js';
import type { HubServices } from '../services.js';

export function inboxAckHandler(s: Pick<HubServices, 'commits' | 'offlineQueue'>): HandlerSpec<typeof inboxAckFrame> {
  return {
    type: 'inbox_ack',
    schema: inboxAckFrame,
    handle(ctx) {
      const { frame, conn, re } = ctx;
      const agent = identityOf(ctx).agent;
      const gapSent = conn.gapSent;
      s.commits.enqueue({
        apply: () => s.offlineQueue.acknowledge(agent, frame.up_to, gapSent),
        committed: ({ remaining, gapCleared }) => {
          if (gapCleared && conn.gapSent === gapSent) conn.gapSent = undefined;
          reply(ctx, { type: 'ack', remaining });
        },
        failed: (error) => sendError(conn, re, notStored(error, 'the acknowledgement')),
      });
    },
  };
}
