/** Storing a message (group-committed) and then delivering it: one serialisation per fan-out. */
import { SwitchboardError, type SendMessageFrame, type StoredMessage } from '../../../shared/protocol/index.js';
import { notStored, type CommitQueue } from '../store/commit-queue.js';
import type { Connection, Identity } from '../ws/connection.js';
import type { LoopBreaker } from './loop-breaker.js';
import type { Held, OfflineQueue } from './offline-queue.js';
import type { Presence } from './presence.js';
import { directConversationId, mayAccess, type ConversationMeta, type ConversationStore } from '../store/conversation-store.js';
import type { InsertResult, MessageStore, NewMessage, RemoteMessage } from '../store/message-store.js';
import type { SubscriptionIndex } from './subscriptions.js';

export interface Address {
  conversation_id?: string | undefined;
  to?: string | undefined;
}

/** A message as a sender gives it: the conversation, the sender and the hop count come from the hub. */
export type OutgoingMessage = Omit<NewMessage, 'conversation_id' | 'sender' | 'hops'>;

/** What a message write returns: the insert, and the offline-queue entries made with it (direct messages only). */
interface Stored extends InsertResult {
  held?: Held;
}

export interface Posted extends InsertResult {
  /** The stored message serialised once, reused for the ack and every recipient. */
  json: string;
}

/** Builds the frame subscribers receive from the serialised message: `new_message` unless a stream ended. */
export type FrameBuilder = (messageJson: string) => string;

export const newMessageFrame: FrameBuilder = (json) => `{"type":"new_message",${json.slice(1)}`;

/** The message a `send_message` frame (or the same body over HTTP) asks to store. */
export function outgoingOf(frame: Omit<SendMessageFrame, 'type'>): OutgoingMessage {
  return {
    message_type: frame.message_type,
    content: frame.content,
    payload: frame.payload,
    client_msg_id: frame.client_msg_id,
    in_reply_to: frame.in_reply_to,
    task_id: frame.task_id,
  };
}

/** A reply's `"re":…,` field, or nothing when the request carried no id. */
export function reField(re: string | number | undefined): string {
  return re === undefined ? '' : `"re":${JSON.stringify(re)},`;
}

/** `"duplicate":…,"message":{…}` of a stored message, built around the one serialisation of it. */
export function postedFields(posted: Posted): string {
  return `"duplicate":${posted.created ? 'false' : 'true'},"message":${posted.json}`;
}

/** The acknowledgement of a stored message. */
export function ackFrame(re: string | number | undefined, posted: Posted): string {
  return `{"type":"ack",${reField(re)}${postedFields(posted)}}`;
}

export interface Resolved {
  id: string;
  kind: 'channel' | 'direct';
  members?: string[];
}

export type Messaging = ReturnType<typeof createMessaging>;

export function createMessaging(deps: {
  messages: MessageStore;
  conversations: ConversationStore;
  commits: CommitQueue;
  subscriptions: SubscriptionIndex;
  presence: Presence;
  offlineQueue: OfflineQueue;
  loopBreaker: LoopBreaker;
  now: () => number;
}) {
  const listeners = new Set<(message: StoredMessage) => void>();
  const counters = { stored: 0, delivered: 0 };
  const nobody: ReadonlySet<Connection> = new Set();

  /** Which conversation an address means, and whether the sender may post there. */
  const resolve = (sender: Identity, address: Address): Resolved => {
    if (address.to !== undefined) {
      const members = [sender.agent, address.to].sort();
      return { id: directConversationId(sender.agent, address.to), kind: 'direct', members };
    }
    const id = address.conversation_id ?? '';
    const meta = deps.conversations.meta(id);
    if (!mayAccess(meta, sender.agent, sender.admin)) {
      throw new SwitchboardError('SB_ERR_FORBIDDEN', `agent "${sender.agent}" is not a member of conversation "${id}"`);
    }
    return { id, kind: meta?.kind ?? 'channel' };
  };

  /**
   * Sends a frame built from the stored message to everyone who should see it live. Members it was queued
   * for are left to the offline queue's drain, which is what brings their connections live.
   */
  const deliver = (message: StoredMessage, frame: string, held?: Held): number => {
    const meta: ConversationMeta | undefined = deps.conversations.meta(message.conversation_id);
    const memberConnections =
      held === undefined ? deps.presence.connectionsOf : (agent: string) => (held.queued.includes(agent) ? nobody : deps.presence.connectionsOf(agent));
    const recipients = deps.subscriptions.recipients(message, meta, memberConnections);
    let sent = 0;
    if (recipients.size > 0) {
      // Encoded to UTF-8 once; every socket then writes the same bytes.
      const bytes = Buffer.from(frame);
      for (const conn of recipients) if (conn.send(bytes)) sent++;
    }
    counters.delivered += sent;
    for (const listener of listeners) listener(message);
    return sent;
  };

  /**
   * Stores a message and, once committed, delivers it and calls `done`; `failed` when it was not stored.
   * Callbacks rather than a promise: this is the per-message hot path of `send_message`.
   */
  const store = (
    sender: Identity,
    target: Resolved,
    outgoing: OutgoingMessage,
    done: (posted: Posted) => void,
    failed: (error: SwitchboardError) => void,
    buildFrame: FrameBuilder = newMessageFrame,
  ): void => {
    const now = deps.now();
    let hops: number;
    try {
      hops = deps.loopBreaker.admit(target.id, sender.agent, outgoing.in_reply_to, now);
    } catch (error) {
      // The loop breaker refused it (SB_ERR_PAUSED), or the replied-to message could not be read.
      failed(notStored(error, 'the message'));
      return;
    }
    deps.commits.enqueue<Stored>({
      apply: () => {
        const { meta } = deps.conversations.ensure(target.id, sender.agent, now, { kind: target.kind, members: target.members });
        const result: Stored = deps.messages.insert({ conversation_id: target.id, sender: sender.agent, ...outgoing, hops }, now);
        // A direct message waits, in this same transaction, for members that are offline.
        if (result.created && meta.kind === 'direct' && meta.members !== null) {
          const held = deps.offlineQueue.hold(result.message, meta.members, now);
          if (held !== undefined) result.held = held;
        }
        return result;
      },
      committed: (result) => {
        const json = JSON.stringify(result.message);
        if (result.created) {
          counters.stored++;
          if (result.held !== undefined) deps.offlineQueue.committed(result.held);
          deliver(result.message, buildFrame(json), result.held);
        }
        done({ message: result.message, created: result.created, json });
      },
      failed: (error) => failed(notStored(error, 'the message')),
    });
  };

  /**
   * Stores a message from another hub (federation) and, once committed, delivers it like a local one; a
   * redelivered one is found stored already and neither stored nor delivered again. Its conversation is made
   * an open channel when this hub has not seen it yet.
   */
  const storeRemote = (remote: RemoteMessage, done: (created: boolean) => void, failed: (error: SwitchboardError) => void): void => {
    deps.commits.enqueue<InsertResult>({
      apply: () => {
        deps.conversations.ensure(remote.conversation_id, remote.sender, remote.created_at);
        return deps.messages.insertRemote(remote);
      },
      committed: (result) => {
        if (result.created) {
          counters.stored++;
          deliver(result.message, newMessageFrame(JSON.stringify(result.message)));
        }
        done(result.created);
      },
      failed: (error) => failed(notStored(error, 'the message from another hub')),
    });
  };

  return {
    resolve,
    counters,
    store,
    storeRemote,
    /** Stores a message and, once committed, delivers it; resolves only after the commit. */
    post(sender: Identity, target: Resolved, outgoing: OutgoingMessage, buildFrame: FrameBuilder = newMessageFrame): Promise<Posted> {
      return new Promise((resolvePosted, reject) => store(sender, target, outgoing, resolvePosted, reject, buildFrame));
    },
    /** Delivers a frame that is not stored (a stream chunk) to the conversation's live audience. */
    relay(conversationId: string, frame: string): void {
      const meta = deps.conversations.meta(conversationId);
      for (const conn of deps.subscriptions.audience(conversationId, meta, deps.presence.connectionsOf)) conn.send(frame);
    },
    /** Called with every newly stored message after it is delivered (long-polls, tails). */
    onMessage(listener: (message: StoredMessage) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
