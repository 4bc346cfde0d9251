/** `subscribe`: replay stored messages after `since`, then deliver live ones; optionally presence too. */
import { subscribeFrame, SwitchboardError } from '../../../shared/index.js';
import { replay, type ReplayServices } from '../messaging/replay.js';
import { identityOf, reply, type HandlerSpec } from '../ws/router.js';
import type { HubServices } from '../services.js';
import { mayAccess } from '../store/conversation-store.js';

export function subscribeHandler(s: Pick<HubServices, 'presence' | 'relay' | 'alerts' | 'approvals'> & ReplayServices): HandlerSpec<typeof subscribeFrame> {
  return {
    type: 'subscribe',
    schema: subscribeFrame,
    handle(ctx) {
      const { frame, conn } = ctx;
      const identity = identityOf(ctx);
      if (frame.presence !== undefined) s.presence.watch(conn, frame.presence);
      if (frame.tasks !== undefined) s.relay.notifier.watch(conn, frame.tasks);
      if (frame.alerts !== undefined) s.alerts.watch(conn, frame.alerts);
      // The admin's alert feed carries the agent names waiting for approval too (the dashboard's banner).
      if (frame.alerts !== undefined) s.approvals.watch(conn, frame.alerts);
      const selector = frame.conversations;
      if (selector === undefined) {
        reply(ctx, {
          type: 'subscribed',
          conversations: [],
          presence: frame.presence ?? false,
          tasks: frame.tasks ?? false,
          ...(frame.alerts === undefined ? {} : { alerts: frame.alerts }),
          last_seq: s.messages.lastSeq(),
        });
        return;
      }
      const keys = selector === '*' ? ['*'] : [...new Set(selector)];
      for (const key of keys) {
        if (key !== '*' && !mayAccess(s.conversations.meta(key), identity.agent, identity.admin)) {
          throw new SwitchboardError('SB_ERR_FORBIDDEN', `agent "${identity.agent}" is not a member of conversation "${key}"`);
        }
      }
      reply(ctx, { type: 'subscribed', conversations: selector, since: frame.since ?? null, last_seq: s.messages.lastSeq() });
      replay(s, conn, keys, frame.since, ctx.re);
    },
  };
}
