/** `stream_start`, `stream_chunk`, `stream_end` (seed): a message that grows live and is stored once. */
import { streamChunkFrame, streamEndFrame, streamStartFrame } from '../../../shared/index.js';
import { ackFrame } from '../messaging/messaging.js';
import { identityOf, reply, type HandlerSpec } from '../ws/router.js';
import type { HubServices } from '../services.js';

export function streamStartHandler(s: Pick<HubServices, 'messaging' | 'streams'>): HandlerSpec<typeof streamStartFrame> {
  return {
    type: 'stream_start',
    schema: streamStartFrame,
    handle(ctx) {
      const sender = identityOf(ctx);
      const target = s.messaging.resolve(sender, ctx.frame);
      const stream = s.streams.start(ctx.conn, sender, target, {
        streamId: ctx.frame.stream_id,
        messageType: ctx.frame.message_type,
        clientMsgId: ctx.frame.client_msg_id,
      });
      reply(ctx, { type: 'ack', stream_id: stream.id, conversation_id: target.id });
    },
  };
}

export function streamChunkHandler(s: Pick<HubServices, 'streams'>): HandlerSpec<typeof streamChunkFrame> {
  return {
    type: 'stream_chunk',
    schema: streamChunkFrame,
    handle(ctx) {
      const index = s.streams.chunk(ctx.conn, ctx.frame.stream_id, ctx.frame.content);
      // Chunks come fast; only a chunk that asked for a reply (has an id) gets one.
      if (ctx.re !== undefined) reply(ctx, { type: 'ack', stream_id: ctx.frame.stream_id, index });
    },
  };
}

export function streamEndHandler(s: Pick<HubServices, 'streams'>): HandlerSpec<typeof streamEndFrame> {
  return {
    type: 'stream_end',
    schema: streamEndFrame,
    async handle(ctx) {
      const posted = await s.streams.end(ctx.conn, ctx.frame.stream_id, ctx.frame.full_content, ctx.frame.payload);
      ctx.conn.send(ackFrame(ctx.re, posted));
    },
  };
}
