/**
 * `text_message` (the chat backend seed): a question the hub hands to one online agent that declared the
 * `text_message` capability, whose streamed answer goes back to the asker as the seed's
 * `processing_start`, `stream_start`, `stream_chunk`, `stream_end` (with `full_content`).
 */
import { z } from 'zod';
import { requestId } from './common.js';

export { TEXT_MESSAGE_CAPABILITY } from './capabilities.js';

const textId = z.string().min(1).max(200);

/** What the seed's client sends; `conversation_id`, `personality_id`, `use_tools` and `stream` go to the answering agent as they are. */
export const textMessageFrame = z.object({
  type: z.literal('text_message'),
  id: requestId,
  content: z.string().min(1),
  conversation_id: z.union([z.string().max(200), z.number()]).optional(),
  personality_id: z.union([z.string().max(200), z.number()]).optional(),
  use_tools: z.boolean().optional(),
  stream: z.boolean().optional(),
  timestamp: z.number().optional(),
});

/** A piece of the answer, from the answering agent; relayed to the asker as `stream_chunk`. */
export const textReplyChunkFrame = z.object({
  type: z.literal('text_reply_chunk'),
  id: requestId,
  text_id: textId,
  content: z.string(),
});

/** The end of the answer (`full_content` defaults to the chunks joined), or `error` when the agent could not answer. */
export const textReplyEndFrame = z.object({
  type: z.literal('text_reply_end'),
  id: requestId,
  text_id: textId,
  full_content: z.string().optional(),
  error: z.string().max(2000).optional(),
});

export type TextMessageFrame = z.output<typeof textMessageFrame>;
export type TextReplyChunkFrame = z.output<typeof textReplyChunkFrame>;
export type TextReplyEndFrame = z.output<typeof textReplyEndFrame>;

/** What the answering agent receives: the asker's fields, plus `text_id` to answer under and `from`, the asker. */
export type TextQuestionFrame = Omit<TextMessageFrame, 'type' | 'id' | 'timestamp'> & { type: 'text_message'; text_id: string; from: string };
