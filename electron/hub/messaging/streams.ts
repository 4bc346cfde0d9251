/**
 * Streamed messages: chunks are relayed live and not stored; the whole message is stored once at
 * `stream_end`, or as incomplete when the sender disconnects first, so nothing said is lost.
 */
import { randomBytes } from 'node:crypto';
import { SwitchboardError, type StoredMessage } from '../../../shared/protocol/index.js';
import type { Connection, Identity } from '../ws/connection.js';
import type { Logger } from '../../common/logger.js';
import type { LoopBreaker } from './loop-breaker.js';
import type { Messaging, Posted, Resolved } from './messaging.js';
import { mayAccess, type ConversationStore } from '../store/conversation-store.js';

interface OpenStream {
  id: string;
  owner: Connection;
  sender: Identity;
  target: Resolved;
  messageType: string;
  clientMsgId: string | undefined;
  chunks: string[];
  bytes: number;
}

export type Streams = ReturnType<typeof createStreams>;

export function createStreams(deps: {
  messaging: Messaging;
  conversations: ConversationStore;
  loopBreaker: LoopBreaker;
  logger: Logger;
  maxStreamBytes: number;
  now: () => number;
}) {
  const open = new Map<string, OpenStream>();

  const owned = (conn: Connection, streamId: string): OpenStream => {
    const stream = open.get(streamId);
    if (stream === undefined || stream.owner !== conn) {
      throw new SwitchboardError('SB_ERR_STREAM', `no open stream "${streamId}" from this connection`);
    }
    return stream;
  };

  /** Stores the stream as one message; subscribers get `stream_end` with `full_content` and the stored fields. */
  const finish = async (stream: OpenStream, fullContent: string, payload: unknown, incomplete: boolean): Promise<Posted> => {
    open.delete(stream.id);
    const head = JSON.stringify({ type: 'stream_end', stream_id: stream.id, full_content: fullContent, ...(incomplete ? { incomplete: true } : {}) });
    const posted = await deps.messaging.post(
      stream.sender,
      stream.target,
      { message_type: stream.messageType, content: fullContent, payload, client_msg_id: stream.clientMsgId, incomplete },
      (json) => `${head.slice(0, -1)},${json.slice(1)}`,
    );
    if (!posted.created) {
      // A resend of a message stored before: nothing new is delivered, but those who watched this stream
      // grow must still see it end, with the message that was kept.
      const duplicateHead = JSON.stringify({ type: 'stream_end', stream_id: stream.id, full_content: posted.message.content, duplicate: true });
      deps.messaging.relay(stream.target.id, `${duplicateHead.slice(0, -1)},${posted.json.slice(1)}`);
    }
    return posted;
  };

  /** A stream's `stream_start`, as every subscriber gets it when the stream opens. */
  const startFrame = (stream: OpenStream): Record<string, unknown> => ({
    type: 'stream_start',
    stream_id: stream.id,
    conversation_id: stream.target.id,
    sender: stream.sender.agent,
    message_type: stream.messageType,
  });

  /** The `stream_start` that brings a late subscriber up to date: what was streamed so far, and the next chunk's index. */
  const pickedUp = (stream: OpenStream): Record<string, unknown> => ({
    ...startFrame(stream),
    content_so_far: stream.chunks.join(''),
    next_index: stream.chunks.length,
  });

  return {
    start(
      conn: Connection,
      sender: Identity,
      target: Resolved,
      options: { streamId?: string | undefined; messageType: string; clientMsgId?: string | undefined },
    ): OpenStream {
      const id = options.streamId ?? `s_${randomBytes(8).toString('hex')}`;
      if (open.has(id)) throw new SwitchboardError('SB_ERR_CONFLICT', `stream "${id}" is already open`);
      deps.loopBreaker.assertOpen(target.id);
      // The conversation exists from the first chunk on, so a direct partner sees the stream grow.
      deps.conversations.ensure(target.id, sender.agent, deps.now(), { kind: target.kind, members: target.members });
      const stream: OpenStream = { id, owner: conn, sender, target, messageType: options.messageType, clientMsgId: options.clientMsgId, chunks: [], bytes: 0 };
      open.set(id, stream);
      deps.messaging.relay(target.id, JSON.stringify(startFrame(stream)));
      return stream;
    },
    chunk(conn: Connection, streamId: string, content: string): number {
      const stream = owned(conn, streamId);
      stream.bytes += Buffer.byteLength(content);
      if (stream.bytes > deps.maxStreamBytes) {
        throw new SwitchboardError('SB_ERR_STREAM', `stream "${streamId}" passed ${deps.maxStreamBytes} bytes; end it and start another`);
      }
      stream.chunks.push(content);
      const index = stream.chunks.length - 1;
      deps.messaging.relay(
        stream.target.id,
        JSON.stringify({ type: 'stream_chunk', stream_id: streamId, conversation_id: stream.target.id, sender: stream.sender.agent, index, content }),
      );
      return index;
    },
    end(conn: Connection, streamId: string, fullContent: string | undefined, payload: unknown): Promise<Posted> {
      const stream = owned(conn, streamId);
      return finish(stream, fullContent ?? stream.chunks.join(''), payload, false);
    },
    /** The sender went away mid-stream: keep what it said, marked incomplete. */
    abandon(conn: Connection): void {
      for (const stream of [...open.values()]) {
        if (stream.owner !== conn) continue;
        // The part is kept without its client_msg_id, so a full resend under that id is stored, not refused as a duplicate.
        stream.clientMsgId = undefined;
        finish(stream, stream.chunks.join(''), undefined, true).then(
          (posted: { message: StoredMessage }) => deps.logger.info('stored an abandoned stream as incomplete', { stream: stream.id, seq: posted.message.seq }),
          (error: unknown) => deps.logger.error('could not store an abandoned stream', { stream: stream.id, error: String(error) }),
        );
      }
    },
    /**
     * Brings a subscription that just turned live up to date on the streams in progress in its
     * conversations (`keys`, or `*`): one `stream_start` each, with what was streamed so far and the index of
     * the next chunk. Called in the same turn as the subscription turns live, so every later chunk reaches
     * it live and `content_so_far` plus those chunks is the whole message.
     */
    pickUp(conn: Connection, keys: readonly string[]): void {
      const identity = conn.identity;
      if (identity === undefined) return;
      const all = keys.includes('*');
      for (const stream of open.values()) {
        const conversationId = stream.target.id;
        if (!all && !keys.includes(conversationId)) continue;
        if (!mayAccess(deps.conversations.meta(conversationId), identity.agent, identity.admin)) continue;
        conn.sendFrame(pickedUp(stream));
      }
    },
    /** The same for a member of a direct conversation connecting mid-stream, which sees its streams unsubscribed. */
    pickUpDirect(conn: Connection, agent: string): void {
      for (const stream of open.values()) {
        if (stream.target.kind === 'direct' && stream.target.members?.includes(agent) === true && stream.owner !== conn) conn.sendFrame(pickedUp(stream));
      }
    },
    get size(): number {
      return open.size;
    },
  };
}
