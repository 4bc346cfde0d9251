/** `text_message` (seed) from an asker, and `text_reply_chunk` / `text_reply_end` from the agent answering it. */
import { textMessageFrame, textReplyChunkFrame, textReplyEndFrame } from '../../../shared/index.js';
import { identityOf, reply, type HandlerSpec } from '../ws/router.js';
import type { TextAnswers } from '../messaging/text-answers.js';

export function textMessageHandler(textAnswers: TextAnswers): HandlerSpec<typeof textMessageFrame> {
  return {
    type: 'text_message',
    schema: textMessageFrame,
    handle(ctx) {
      textAnswers.ask(ctx.conn, identityOf(ctx).agent, ctx.frame, ctx.re);
    },
  };
}

export function textReplyChunkHandler(textAnswers: TextAnswers): HandlerSpec<typeof textReplyChunkFrame> {
  return {
    type: 'text_reply_chunk',
    schema: textReplyChunkFrame,
    handle(ctx) {
      textAnswers.chunk(ctx.conn, ctx.frame.text_id, ctx.frame.content);
      if (ctx.re !== undefined) reply(ctx, { type: 'ack', text_id: ctx.frame.text_id });
    },
  };
}

export function textReplyEndHandler(textAnswers: TextAnswers): HandlerSpec<typeof textReplyEndFrame> {
  return {
    type: 'text_reply_end',
    schema: textReplyEndFrame,
    handle(ctx) {
      textAnswers.end(ctx.conn, ctx.frame.text_id, ctx.frame.full_content, ctx.frame.error);
      reply(ctx, { type: 'ack', text_id: ctx.frame.text_id });
    },
  };
}
