/**
 * `send_batch`: many messages in one frame, each stored as if it came in its own `send_message` (they
 * share the turn's group commit), answered by one `batch_ack` once every one is committed or refused.
 */
import { batchedMessage, describeIssues, sendBatchFrame, SwitchboardError } from '../../../shared/index.js';
import { outgoingOf, postedFields, reField } from '../messaging/messaging.js';
import { identityOf, type HandlerSpec } from '../ws/router.js';
import type { HubServices } from '../services.js';

const refusedResult = (error: SwitchboardError): string => JSON.stringify({ error: { code: error.code, message: error.message } });

export function sendBatchHandler(s: Pick<HubServices, 'messaging' | 'logger'>): HandlerSpec<typeof sendBatchFrame> {
  /** What an entry's unexpected failure becomes: its own refusal, logged, never the batch's. */
  const refusal = (error: unknown): SwitchboardError => {
    if (error instanceof SwitchboardError) return error;
    s.logger.error('a batched message failed', { error: error instanceof Error ? error.stack : String(error) });
    return new SwitchboardError('SB_ERR_INTERNAL', 'the hub could not handle this message; it keeps running');
  };

  return {
    type: 'send_batch',
    schema: sendBatchFrame,
    handle(ctx) {
      const { frame, conn, re } = ctx;
      const sender = identityOf(ctx);
      const results: string[] = new Array<string>(frame.messages.length);
      let outstanding = frame.messages.length;
      const settle = (index: number, result: string): void => {
        results[index] = result;
        if (--outstanding > 0) return;
        conn.send(`{"type":"batch_ack",${reField(re)}"results":[${results.join(',')}]}`);
      };
      frame.messages.forEach((entry, index) => {
        const parsed = batchedMessage.safeParse(entry);
        if (!parsed.success) {
          settle(index, refusedResult(new SwitchboardError('SB_ERR_VALIDATION', `invalid message ${index} of the batch: ${describeIssues(parsed.error)}`)));
          return;
        }
        try {
          const target = s.messaging.resolve(sender, parsed.data);
          s.messaging.store(
            sender,
            target,
            outgoingOf(parsed.data),
            (posted) => settle(index, `{${postedFields(posted)}}`),
            (error) => settle(index, refusedResult(error)),
          );
        } catch (error) {
          settle(index, refusedResult(refusal(error)));
        }
      });
    },
  };
}
