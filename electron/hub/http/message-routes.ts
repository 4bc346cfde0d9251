/** Messages over plain HTTP for agents that cannot hold a socket: post, read after a cursor with long-poll, conversations. */
import { createConversationRequest, postMessageRequest, readMessagesQuery, SwitchboardError, type StoredMessage } from '../../../shared/index.js';
import { createConversation, type ConversationServices } from '../messaging/conversation-service.js';
import { asObject, parseWith } from './parse.js';
import { outgoingOf } from '../messaging/messaging.js';
import type { HubServices } from '../services.js';
import { mayAccess } from '../store/conversation-store.js';
import { requireIdentity, route, type Route } from './http-router.js';

export function messageRoutes(s: Pick<HubServices, 'config' | 'lifetime' | 'messaging' | 'messages' | 'loopBreaker'> & ConversationServices): Route[] {
  // The longest long-poll is a setting, so the hub adds that bound to the shared query.
  const readQuery = readMessagesQuery.extend({ wait: readMessagesQuery.shape.wait.unwrap().max(s.config.maxWaitSeconds).default(0) });

  /** Resolves when a message arrives in the conversation, the wait is over, the client left or the hub stops. */
  const waitForMessage = (conversationId: string, seconds: number, onClientGone: (done: () => void) => void): Promise<void> =>
    new Promise((resolve) => {
      let finished = false;
      const done = (): void => {
        if (finished) return;
        finished = true;
        off();
        clearTimeout(timer);
        s.lifetime.removeEventListener('abort', done);
        resolve();
      };
      const off = s.messaging.onMessage((message: StoredMessage) => {
        if (message.conversation_id === conversationId) done();
      });
      const timer = setTimeout(done, seconds * 1000);
      s.lifetime.addEventListener('abort', done);
      onClientGone(done);
    });

  return [
    route('listConversations', {
      handle(ctx) {
        const identity = requireIdentity(ctx);
        return { body: { status: 'ok', conversations: s.conversations.list().filter((c) => mayAccess(c, identity.agent, identity.admin)) } };
      },
    }),
    route('createConversation', {
      async handle(ctx) {
        const request = parseWith(createConversationRequest, asObject(await ctx.body()), 'conversation');
        const { conversation, created } = createConversation(s, requireIdentity(ctx), request);
        return { status: created ? 201 : 200, body: { status: 'ok', conversation, created } };
      },
    }),
    route('resumeConversation', {
      async handle(ctx) {
        const { id } = ctx.params;
        if (s.conversations.meta(id) === undefined) throw new SwitchboardError('SB_ERR_NOT_FOUND', `no conversation "${id}"`);
        const resumed = await s.loopBreaker.resume(id, requireIdentity(ctx).agent, s.clock.now());
        return { body: { status: 'ok', conversation_id: id, resumed } };
      },
    }),
    route('postMessage', {
      async handle(ctx) {
        const sender = requireIdentity(ctx);
        const request = parseWith(postMessageRequest, asObject(await ctx.body()), 'message');
        const target = s.messaging.resolve(sender, request);
        const posted = await s.messaging.post(sender, target, outgoingOf(request));
        return { status: posted.created ? 201 : 200, body: { status: 'ok', duplicate: !posted.created, message: posted.message } };
      },
    }),
    route('readMessages', {
      async handle(ctx) {
        const identity = requireIdentity(ctx);
        const { id } = ctx.params;
        if (!mayAccess(s.conversations.meta(id), identity.agent, identity.admin)) {
          throw new SwitchboardError('SB_ERR_FORBIDDEN', `agent "${identity.agent}" is not a member of conversation "${id}"`);
        }
        const query = parseWith(readQuery, Object.fromEntries(ctx.query), 'query');
        if (query.before !== undefined) {
          const rows = s.messages.before(id, query.before, query.limit);
          // Paging backwards: the next (older) page is the one before this page's first message.
          return { body: { status: 'ok', conversation_id: id, messages: rows, next_before: rows[0]?.seq ?? null } };
        }
        let messages = s.messages.after([id], query.since, query.limit);
        if (messages.length === 0 && query.wait > 0) {
          await waitForMessage(id, query.wait, (done) => ctx.res.on('close', done));
          messages = s.messages.after([id], query.since, query.limit);
        }
        return { body: { status: 'ok', conversation_id: id, messages, next_since: messages.at(-1)?.seq ?? query.since } };
      },
    }),
  ];
}
