/** `unsubscribe`: stop receiving some conversations, all of them (`"*"` or none named), or presence. */
import { unsubscribeFrame } from '../../../shared/index.js';
import { reply, type HandlerSpec } from '../ws/router.js';
import type { HubServices } from '../services.js';

export function unsubscribeHandler(
  s: Pick<HubServices, 'presence' | 'relay' | 'alerts' | 'approvals' | 'subscriptions'>,
): HandlerSpec<typeof unsubscribeFrame> {
  return {
    type: 'unsubscribe',
    schema: unsubscribeFrame,
    handle(ctx) {
      const { frame, conn } = ctx;
      if (frame.presence === true) s.presence.watch(conn, false);
      if (frame.tasks === true) s.relay.notifier.watch(conn, false);
      if (frame.alerts === true) s.alerts.watch(conn, false);
      if (frame.alerts === true) s.approvals.watch(conn, false);
      const selector = frame.conversations;
      const flagsOnly = frame.presence !== undefined || frame.tasks !== undefined || frame.alerts !== undefined;
      if (selector === '*' || (selector === undefined && !flagsOnly)) s.subscriptions.removeAll(conn);
      else if (selector !== undefined) for (const key of selector) s.subscriptions.remove(conn, key);
      reply(ctx, { type: 'unsubscribed', remaining: [...conn.subscriptions.keys()] });
    },
  };
}
