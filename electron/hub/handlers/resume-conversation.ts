/** `resume_conversation` (admin only): lifts the loop breaker's pause; the reply comes after it is committed. */
import { resumeConversationFrame, SwitchboardError } from '../../../shared/index.js';
import { identityOf, reply, type HandlerSpec } from '../ws/router.js';
import type { HubServices } from '../services.js';

export function resumeConversationHandler(s: Pick<HubServices, 'conversations' | 'loopBreaker' | 'clock'>): HandlerSpec<typeof resumeConversationFrame> {
  return {
    type: 'resume_conversation',
    schema: resumeConversationFrame,
    async handle(ctx) {
      const identity = identityOf(ctx);
      const id = ctx.frame.conversation_id;
      if (!identity.admin) throw new SwitchboardError('SB_ERR_FORBIDDEN', 'only a person (the admin token) may resume a paused conversation');
      if (s.conversations.meta(id) === undefined) throw new SwitchboardError('SB_ERR_NOT_FOUND', `no conversation "${id}"`);
      const resumed = await s.loopBreaker.resume(id, identity.agent, s.clock.now());
      reply(ctx, { type: 'ack', conversation_id: id, resumed });
    },
  };
}
