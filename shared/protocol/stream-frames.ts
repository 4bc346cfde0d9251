/** Frames for a message streamed in pieces (an LLM reply): start, chunks, end with `full_content` (seed). */
import { z } from 'zod';
import { agentName, conversationId, exactlyOneAddress, jsonPayload, messageType, requestId } from './common.js';

const streamId = z.string().min(1).max(200);

export const streamStartFrame = z
  .object({
    type: z.literal('stream_start'),
    id: requestId,
    stream_id: streamId.optional(),
    conversation_id: conversationId.optional(),
    to: agentName.optional(),
    message_type: messageType.default('message'),
    client_msg_id: z.string().min(1).max(200).optional(),
  })
  .refine(...exactlyOneAddress);

export const streamChunkFrame = z.object({
  type: z.literal('stream_chunk'),
  id: requestId,
  stream_id: streamId,
  content: z.string(),
});

export const streamEndFrame = z.object({
  type: z.literal('stream_end'),
  id: requestId,
  stream_id: streamId,
  full_content: z.string().optional(),
  payload: jsonPayload.optional(),
});

export type StreamStartFrame = z.output<typeof streamStartFrame>;
export type StreamChunkFrame = z.output<typeof streamChunkFrame>;
export type StreamEndFrame = z.output<typeof streamEndFrame>;
