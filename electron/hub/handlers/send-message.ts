/** `send_message` (seed): store the message, acknowledge after the commit, deliver `new_message` to subscribers. */
import { sendMessageFrame } from '../../../shared/index.js';
import { ackFrame, outgoingOf } from '../messaging/messaging.js';
import { identityOf, sendError, type HandlerSpec } from '../ws/router.js';
import type { HubServices } from '../services.js';

export function sendMessageHandler(s: Pick<HubServices, 'messaging'>): HandlerSpec<typeof sendMessageFrame> {
  return {
    type: 'send_message',
    schema: sendMessageFrame,
    handle(ctx) {
      const { frame, conn, re } = ctx;
      const sender = identityOf(ctx);
      const target = s.messaging.resolve(sender, frame);
      s.messaging.store(
        sender,
        target,
        outgoingOf(frame),
        (posted) => conn.send(ackFrame(re, posted)),
        (error) => sendError(conn, re, error),
      );
    },
  };
}
