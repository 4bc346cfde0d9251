/** `create_conversation` and `list_conversations`. */
import { createConversationFrame, listConversationsFrame } from '../../../shared/index.js';
import { identityOf, reply, type HandlerSpec } from '../ws/router.js';
import type { HubServices } from '../services.js';
import { mayAccess } from '../store/conversation-store.js';
import { createConversation, type ConversationServices } from '../messaging/conversation-service.js';

export function createConversationHandler(s: ConversationServices): HandlerSpec<typeof createConversationFrame> {
  return {
    type: 'create_conversation',
    schema: createConversationFrame,
    handle(ctx) {
      const { conversation, created } = createConversation(s, identityOf(ctx), ctx.frame);
      reply(ctx, { type: 'create_conversation_response', conversation, created });
    },
  };
}

export function listConversationsHandler(s: Pick<HubServices, 'conversations'>): HandlerSpec<typeof listConversationsFrame> {
  return {
    type: 'list_conversations',
    schema: listConversationsFrame,
    handle(ctx) {
      const identity = identityOf(ctx);
      const conversations = s.conversations.list().filter((c) => mayAccess(c, identity.agent, identity.admin));
      reply(ctx, { type: 'list_conversations_response', conversations });
    },
  };
}
