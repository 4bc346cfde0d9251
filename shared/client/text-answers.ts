/**
 * Answering `text_message` questions: `answerTextMessages(client, async (text, reply) => …)` runs the
 * handler for each question the hub routes to this client, streams what it writes back to the asker, and
 * ends the answer for it — with the handler's returned string, or as a failure when the handler throws.
 */
import type { TextQuestionFrame } from '../index.js';
import type { Frame, SwitchboardClient } from './client.js';

export interface TextReply {
  /** Sends a piece of the answer; the asker gets it at once as `stream_chunk`. */
  write(chunk: string): void;
  /** Ends the answer: `full_content` is the chunks joined unless given. Later writes and ends are ignored. */
  end(fullContent?: string): Promise<void>;
  /** True once the asker left: the rest of the answer would reach no one. */
  readonly cancelled: boolean;
}

/** Return a string to answer with it in one piece, or write to `reply` and end it (ended for you when the handler returns). */
export type TextMessageHandler = (text: string, reply: TextReply, question: TextQuestionFrame) => unknown;

export function answerTextMessages(client: SwitchboardClient, handler: TextMessageHandler): () => void {
  const cancelled = new Set<string>();

  const send = (frame: Record<string, unknown> & { type: string }): Promise<void> =>
    // The connection may have gone: the hub then tells the asker, so nothing is left to report here.
    client.request(frame).then(
      () => undefined,
      () => undefined,
    );

  // Started for each question without waiting; never rejects: a handler that throws ends the answer as a failure.
  const answer = async (question: TextQuestionFrame): Promise<void> => {
    const textId = question.text_id;
    let ended = false;
    const finish = (fields: Record<string, unknown>): Promise<void> => {
      if (ended) return Promise.resolve();
      ended = true;
      return send({ type: 'text_reply_end', text_id: textId, ...fields });
    };
    const reply: TextReply = {
      write(chunk) {
        if (!ended && !cancelled.has(textId)) void send({ type: 'text_reply_chunk', text_id: textId, content: chunk });
      },
      end: (fullContent) => finish(fullContent === undefined ? {} : { full_content: fullContent }),
      get cancelled() {
        return cancelled.has(textId);
      },
    };
    try {
      const result = await handler(question.content, reply, question);
      await finish(typeof result === 'string' ? { full_content: result } : {});
    } catch (error) {
      await finish({ error: error instanceof Error ? error.message : String(error) });
    } finally {
      cancelled.delete(textId);
    }
  };

  return client.on('frame', (frame: Frame) => {
    if (frame.type === 'text_message' && typeof frame['text_id'] === 'string') void answer(frame as unknown as TextQuestionFrame);
    else if (frame.type === 'text_cancelled' && typeof frame['text_id'] === 'string') cancelled.add(frame['text_id']);
  });
}
