/**
 * `text_message` routing: each question goes to one online connection that declared the `text_message`
 * capability (the least busy, taking turns on a tie), and its streamed answer is relayed to the asker in
 * the seed's frames. Nothing is stored: the answering agent keeps its own memory under the asker's
 * `conversation_id`, as the seed's chat engine did.
 */
import { randomBytes } from 'node:crypto';
import { SwitchboardError, type TextMessageFrame, type TextQuestionFrame } from '../../../shared/protocol/index.js';
import type { Connection } from '../ws/connection.js';
import type { Logger } from '../../common/logger.js';
import type { RequestId } from '../ws/router.js';
import { epochSeconds } from '../../common/clock.js';

interface OpenQuestion {
  id: string;
  asker: Connection;
  re: RequestId;
  answerer: Connection;
  chunks: string[];
  bytes: number;
  streaming: boolean;
}

/** The asker's fields for the answering agent; the request id and timestamp are the asker's own. */
function questionFor(textId: string, from: string, frame: TextMessageFrame): TextQuestionFrame {
  const question: TextQuestionFrame = { type: 'text_message', text_id: textId, from, content: frame.content };
  if (frame.conversation_id !== undefined) question.conversation_id = frame.conversation_id;
  if (frame.personality_id !== undefined) question.personality_id = frame.personality_id;
  if (frame.use_tools !== undefined) question.use_tools = frame.use_tools;
  if (frame.stream !== undefined) question.stream = frame.stream;
  return question;
}

export type TextAnswers = ReturnType<typeof createTextAnswers>;

export function createTextAnswers(deps: { logger: Logger; maxStreamBytes: number; now: () => number }) {
  /** Connections that declared the capability, in the order they did. */
  const answerers = new Set<Connection>();
  const open = new Map<string, OpenQuestion>();
  const load = new Map<Connection, number>();
  let turn = 0;

  /** The seed's reply fields, `re` when the question had an id, and `text_id` to tell answers apart. */
  const toAsker = (q: OpenQuestion, frame: Record<string, unknown>): void => {
    const fields = { ...frame, timestamp: epochSeconds(deps.now()), client_id: q.asker.id, text_id: q.id };
    q.asker.sendFrame(q.re === undefined ? fields : { ...fields, re: q.re });
  };

  const failToAsker = (q: OpenQuestion, error: SwitchboardError): void => {
    const frame = { type: 'error', code: error.code, message: error.message, text_id: q.id };
    q.asker.sendFrame(q.re === undefined ? frame : { ...frame, re: q.re });
  };

  const close = (q: OpenQuestion): void => {
    open.delete(q.id);
    const left = (load.get(q.answerer) ?? 1) - 1;
    if (left > 0) load.set(q.answerer, left);
    else load.delete(q.answerer);
  };

  const startStream = (q: OpenQuestion): void => {
    if (q.streaming) return;
    q.streaming = true;
    toAsker(q, { type: 'stream_start' });
  };

  /** Least busy first; among equals, the one after the last pick, so answerers take turns. */
  const pick = (asker: Connection): Connection | undefined => {
    const candidates = [...answerers].filter((conn) => conn !== asker && conn.isOpen);
    if (candidates.length === 0) return undefined;
    const start = turn++ % candidates.length;
    let best: Connection | undefined;
    for (let i = 0; i < candidates.length; i++) {
      const conn = candidates[(start + i) % candidates.length] as Connection;
      if (best === undefined || (load.get(conn) ?? 0) < (load.get(best) ?? 0)) best = conn;
    }
    return best;
  };

  const owned = (conn: Connection, textId: string): OpenQuestion => {
    const q = open.get(textId);
    if (q === undefined || q.answerer !== conn) {
      throw new SwitchboardError('SB_ERR_STREAM', `no open text_message "${textId}" for this connection to answer (its asker may have left)`);
    }
    return q;
  };

  return {
    /** A connection's hello declared the capability. */
    offer(conn: Connection): void {
      answerers.add(conn);
    },
    ask(asker: Connection, from: string, frame: TextMessageFrame, re: RequestId): void {
      const answerer = pick(asker);
      if (answerer === undefined) {
        throw new SwitchboardError(
          'SB_ERR_NO_ANSWERER',
          'no agent that answers text_message is online; an agent offers to by declaring "capabilities": ["text_message"] in its hello',
        );
      }
      const q: OpenQuestion = { id: `tm_${randomBytes(8).toString('hex')}`, asker, re, answerer, chunks: [], bytes: 0, streaming: false };
      open.set(q.id, q);
      load.set(answerer, (load.get(answerer) ?? 0) + 1);
      answerer.sendFrame(questionFor(q.id, from, frame));
      deps.logger.debug('text_message routed', { text: q.id, asker: asker.id, answerer: answerer.id });
      toAsker(q, { type: 'processing_start', answered_by: answerer.identity?.agent ?? null });
    },
    chunk(conn: Connection, textId: string, content: string): void {
      const q = owned(conn, textId);
      q.bytes += Buffer.byteLength(content);
      if (q.bytes > deps.maxStreamBytes) {
        close(q);
        const error = new SwitchboardError('SB_ERR_STREAM', `the answer passed ${deps.maxStreamBytes} bytes and was cut off`);
        failToAsker(q, error);
        throw error;
      }
      q.chunks.push(content);
      startStream(q);
      toAsker(q, { type: 'stream_chunk', content });
    },
    end(conn: Connection, textId: string, fullContent: string | undefined, failure: string | undefined): void {
      const q = owned(conn, textId);
      close(q);
      if (failure !== undefined) {
        failToAsker(q, new SwitchboardError('SB_ERR_ANSWER_FAILED', `the agent answering ("${conn.identity?.agent ?? conn.id}") could not: ${failure}`));
        return;
      }
      startStream(q);
      toAsker(q, { type: 'stream_end', full_content: fullContent ?? q.chunks.join('') });
    },
    /** A connection closed: questions it was answering fail at once; questions it asked are withdrawn. */
    forget(conn: Connection): void {
      answerers.delete(conn);
      for (const q of [...open.values()]) {
        if (q.answerer === conn) {
          close(q);
          const received = q.chunks.join('').length;
          failToAsker(
            q,
            new SwitchboardError(
              'SB_ERR_NO_ANSWERER',
              `the agent answering ("${conn.identity?.agent ?? conn.id}") disconnected after ${received} characters of its answer; ask again`,
            ),
          );
        } else if (q.asker === conn) {
          close(q);
          q.answerer.sendFrame({ type: 'text_cancelled', text_id: q.id, reason: 'the asker disconnected' });
        }
      }
    },
    get size(): number {
      return open.size;
    },
  };
}
