/** Frames for conversations and messages: send, subscribe with a cursor, history, listings. */
import { z } from 'zod';
import { agentName, conversationId, exactlyOneAddress, jsonPayload, messageType, pageLimit, requestId, seqCursor } from './common.js';
import { MAX_BATCH_MESSAGES } from './limits.js';
import { taskId } from './task-frames.js';

/** Fields that address a message: a conversation, or `to` an agent for a direct message. */
const addressed = {
  conversation_id: conversationId.optional(),
  to: agentName.optional(),
};

/** A message to send, as one entry of a `send_batch`. */
const messageFields = {
  ...addressed,
  message_type: messageType.default('message'),
  content: z.string(),
  payload: jsonPayload.optional(),
  client_msg_id: z.string().min(1).max(200).optional(),
  /** The seq of the message this one answers; the hub counts hops along such chains (the loop breaker). */
  in_reply_to: z.number().int().min(1).optional(),
  /** The task this message is about (a progress note, a summary of the result): it shows in the task's lineage. */
  task_id: taskId.optional(),
};

/** The `send_message` frame's fields, also the body of `POST /api/messages`. */
export const sendMessageFields = { id: requestId, ...messageFields };

export const sendMessageFrame = z.object({ type: z.literal('send_message'), ...sendMessageFields }).refine(...exactlyOneAddress);

/** One message of a `send_batch`: `send_message`'s fields without `type` and `id`. */
export const batchedMessage = z.object(messageFields).refine(...exactlyOneAddress);

/**
 * Many messages in one frame, answered by one `batch_ack`. Entries are checked one by one (a bad entry
 * is refused in its result, the others are stored), so the frame itself only checks the list.
 */
export const sendBatchFrame = z.object({
  type: z.literal('send_batch'),
  id: requestId,
  messages: z.array(z.unknown()).min(1).max(MAX_BATCH_MESSAGES),
});

const conversationSelector = z.union([z.literal('*'), z.array(conversationId).min(1).max(1000)]);

export const subscribeFrame = z.object({
  type: z.literal('subscribe'),
  id: requestId,
  conversations: conversationSelector.optional(),
  since: seqCursor.optional(),
  presence: z.boolean().optional(),
  /** Also receive `task_updated` for every task (the GUI); masters always get their own tasks' updates. */
  tasks: z.boolean().optional(),
  /** Also receive `alert` frames (admin only). */
  alerts: z.boolean().optional(),
});

export const unsubscribeFrame = z.object({
  type: z.literal('unsubscribe'),
  id: requestId,
  conversations: conversationSelector.optional(),
  presence: z.boolean().optional(),
  tasks: z.boolean().optional(),
  alerts: z.boolean().optional(),
});

export const historyFrame = z.object({
  type: z.literal('history'),
  id: requestId,
  conversation_id: conversationId,
  before: seqCursor.optional(),
  after: seqCursor.optional(),
  limit: pageLimit.default(100),
});

export const createConversationFrame = z.object({
  type: z.literal('create_conversation'),
  id: requestId,
  conversation_id: conversationId.optional(),
  title: z.string().max(200).optional(),
  members: z.array(agentName).max(1000).optional(),
});

export const listConversationsFrame = z.object({
  type: z.literal('list_conversations'),
  id: requestId,
});

export const listAgentsFrame = z.object({
  type: z.literal('list_agents'),
  id: requestId,
});

/** Acknowledges the offline queue: the hub deletes the agent's queued entries with seq <= `up_to`. */
export const inboxAckFrame = z.object({
  type: z.literal('inbox_ack'),
  id: requestId,
  up_to: seqCursor,
});

/** Admin only: lifts the loop breaker's pause from a conversation. */
export const resumeConversationFrame = z.object({
  type: z.literal('resume_conversation'),
  id: requestId,
  conversation_id: conversationId,
});

export type SendMessageFrame = z.output<typeof sendMessageFrame>;
export type BatchedMessage = z.output<typeof batchedMessage>;
export type SubscribeFrame = z.output<typeof subscribeFrame>;
export type UnsubscribeFrame = z.output<typeof unsubscribeFrame>;
export type HistoryFrame = z.output<typeof historyFrame>;
export type CreateConversationFrame = z.output<typeof createConversationFrame>;
export type InboxAckFrame = z.output<typeof inboxAckFrame>;
export type ResumeConversationFrame = z.output<typeof resumeConversationFrame>;
