/** `history`: page through one conversation by seq, backwards (`before`) or forwards (`after`). */
import { historyFrame, SwitchboardError } from '../../../shared/index.js';
import { identityOf, reply, type HandlerSpec } from '../ws/router.js';
import type { HubServices } from '../services.js';
import { mayAccess } from '../store/conversation-store.js';

export function historyHandler(s: Pick<HubServices, 'conversations' | 'messages'>): HandlerSpec<typeof historyFrame> {
  return {
    type: 'history',
    schema: historyFrame,
    handle(ctx) {
      const { frame } = ctx;
      const identity = identityOf(ctx);
      if (!mayAccess(s.conversations.meta(frame.conversation_id), identity.agent, identity.admin)) {
        throw new SwitchboardError('SB_ERR_FORBIDDEN', `agent "${identity.agent}" is not a member of conversation "${frame.conversation_id}"`);
      }
      // One extra row tells whether another page exists.
      const rows =
        frame.after !== undefined
          ? s.messages.after([frame.conversation_id], frame.after, frame.limit + 1)
          : s.messages.before(frame.conversation_id, frame.before ?? Number.MAX_SAFE_INTEGER, frame.limit + 1);
      const hasMore = rows.length > frame.limit;
      const messages = !hasMore ? rows : frame.after !== undefined ? rows.slice(0, frame.limit) : rows.slice(1);
      reply(ctx, { type: 'history_response', conversation_id: frame.conversation_id, messages, has_more: hasMore });
    },
  };
}
