/** The protocol: one schema per client frame type, looked up by `type`, the server frame shapes, and the HTTP API's schemas. */
import type { z } from 'zod';
import { getStatusFrame, heartbeatFrame, helloFrame, pingFrame } from './connection-frames.js';
import {
  createConversationFrame,
  historyFrame,
  inboxAckFrame,
  listAgentsFrame,
  listConversationsFrame,
  resumeConversationFrame,
  sendBatchFrame,
  sendMessageFrame,
  subscribeFrame,
  unsubscribeFrame,
} from './message-frames.js';
import { streamChunkFrame, streamEndFrame, streamStartFrame } from './stream-frames.js';
import {
  taskAcceptFrame,
  taskCancelFrame,
  taskGetFrame,
  taskInputFrame,
  taskInputRequiredFrame,
  taskListFrame,
  taskProgressFrame,
  taskRejectFrame,
  taskResultFrame,
  taskRetryFrame,
  taskSendFrame,
} from './task-frames.js';
import { metricsFrame } from './metrics-frames.js';
import { textMessageFrame, textReplyChunkFrame, textReplyEndFrame } from './text-frames.js';

export * from './errors.js';
export * from './limits.js';
export * from './server-frames.js';
export * from './connection-frames.js';
export * from './message-frames.js';
export * from './stream-frames.js';
export * from './task-frames.js';
export * from './metrics-frames.js';
export * from './text-frames.js';
export * from './alert-types.js';
export * from './http/index.js';
export * from './short-command.js';
export { agentName } from './common.js';

export const clientFrameSchemas = {
  hello: helloFrame,
  heartbeat: heartbeatFrame,
  ping: pingFrame,
  get_status: getStatusFrame,
  send_message: sendMessageFrame,
  send_batch: sendBatchFrame,
  subscribe: subscribeFrame,
  unsubscribe: unsubscribeFrame,
  history: historyFrame,
  create_conversation: createConversationFrame,
  list_conversations: listConversationsFrame,
  list_agents: listAgentsFrame,
  inbox_ack: inboxAckFrame,
  resume_conversation: resumeConversationFrame,
  stream_start: streamStartFrame,
  stream_chunk: streamChunkFrame,
  stream_end: streamEndFrame,
  task_send: taskSendFrame,
  task_accept: taskAcceptFrame,
  task_reject: taskRejectFrame,
  task_progress: taskProgressFrame,
  task_input_required: taskInputRequiredFrame,
  task_input: taskInputFrame,
  task_result: taskResultFrame,
  task_cancel: taskCancelFrame,
  task_retry: taskRetryFrame,
  task_get: taskGetFrame,
  task_list: taskListFrame,
  metrics: metricsFrame,
  text_message: textMessageFrame,
  text_reply_chunk: textReplyChunkFrame,
  text_reply_end: textReplyEndFrame,
} as const satisfies Record<string, z.ZodType>;

export type ClientFrameType = keyof typeof clientFrameSchemas;
export type ClientFrame<T extends ClientFrameType> = z.output<(typeof clientFrameSchemas)[T]>;

/** Turns a schema failure into one exact sentence naming the field, e.g. `content: expected string, received number`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
