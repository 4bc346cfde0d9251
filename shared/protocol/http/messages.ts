/** Conversations and messages over HTTP: list and create conversations, post and read messages, resume a paused one, search. */
import { z } from 'zod';
import { exactlyOneAddress } from '../common.js';
import { MAX_PAGE } from '../limits.js';
import { createConversationFrame, sendMessageFields } from '../message-frames.js';
import { conversationInfo, storedMessage } from '../server-frames.js';
import { okStatus } from './common.js';
import { defineRoute } from './route.js';

export const listConversationsResponse = z.object({ status: okStatus, conversations: z.array(conversationInfo) });

/** The `create_conversation` frame's fields. */
export const createConversationRequest = createConversationFrame.omit({ type: true });
export type CreateConversationRequest = z.input<typeof createConversationRequest>;

/** 201 when created, 200 when it existed already. */
export const createConversationResponse = z.object({ status: okStatus, conversation: conversationInfo, created: z.boolean() });

/** `resumed` is false when the conversation was not paused. */
export const resumeConversationResponse = z.object({ status: okStatus, conversation_id: z.string(), resumed: z.boolean() });

/** The `send_message` frame's fields: exactly one of `conversation_id` and `to`. */
export const postMessageRequest = z.object(sendMessageFields).refine(...exactlyOneAddress);
export type PostMessageRequest = z.input<typeof postMessageRequest>;

/** 201 when stored, 200 with `duplicate` when the `client_msg_id` was seen before (the first message is answered). */
export const postMessageResponse = z.object({ status: okStatus, duplicate: z.boolean(), message: storedMessage });

/**
 * Messages after `since` (a long-poll with `wait`), or with `before` the page before that seq. `wait`
 * is at most the hub's `maxWaitSeconds` setting.
 */
export const readMessagesQuery = z.object({
  since: z.coerce.number().int().min(0).default(0),
  before: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(100),
  wait: z.coerce.number().min(0).default(0),
});
export type ReadMessagesQuery = z.input<typeof readMessagesQuery>;

const messagePage = { status: okStatus, conversation_id: z.string(), messages: z.array(storedMessage) };

/** Oldest first. After `since`: `next_since` to read on from; with `before`: `next_before` for the older page, null at the start. */
export const readMessagesResponse = z.union([
  z.object({ ...messagePage, next_since: z.number().int() }),
  z.object({ ...messagePage, next_before: z.number().int().nullable() }),
]);
export type ReadMessagesResponse = z.output<typeof readMessagesResponse>;

export const searchQuery = z.object({
  /** The words to search for. */
  q: z.string().max(1000),
  conversation: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Only messages with a smaller seq: the next page. */
  before: z.coerce.number().int().min(1).optional(),
});
export type SearchQuery = z.input<typeof searchQuery>;

export const searchHit = storedMessage.extend({
  /** The matching text with `[[` and `]]` around each matched word. */
  snippet: z.string(),
});
export type SearchHit = z.output<typeof searchHit>;

/** Newest first; `next_before` is null when this page is the last. */
export const searchResponse = z.object({ status: okStatus, results: z.array(searchHit), next_before: z.number().int().nullable() });
export type SearchResponse = z.output<typeof searchResponse>;

export const messageApi = {
  listConversations: defineRoute({ method: 'GET', path: '/api/conversations', access: 'token', ok: [200], response: listConversationsResponse }),
  createConversation: defineRoute({
    method: 'POST',
    path: '/api/conversations',
    access: 'token',
    body: createConversationRequest,
    ok: [201, 200],
    response: createConversationResponse,
  }),
  resumeConversation: defineRoute({ method: 'POST', path: '/api/conversations/:id/resume', access: 'admin', ok: [200], response: resumeConversationResponse }),
  postMessage: defineRoute({ method: 'POST', path: '/api/messages', access: 'token', body: postMessageRequest, ok: [201, 200], response: postMessageResponse }),
  readMessages: defineRoute({
    method: 'GET',
    path: '/api/conversations/:id/messages',
    access: 'token',
    query: readMessagesQuery,
    ok: [200],
    response: readMessagesResponse,
  }),
  search: defineRoute({ method: 'GET', path: '/api/search', access: 'token', query: searchQuery, ok: [200], response: searchResponse }),
};
