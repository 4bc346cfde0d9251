/**
 * The shapes of what the hub sends: stored records (schemas, shared by frames and the HTTP API) and
 * server-to-client frames.
 */
import { z } from 'zod';
import { isoTime, schemaOf } from './common.js';

/** A message as stored and delivered. `seq` is the hub-wide cursor; `id` is `m_<seq>`. */
export interface StoredMessage {
  id: string;
  seq: number;
  conversation_id: string;
  sender: string;
  message_type: string;
  content: string;
  payload?: unknown;
  client_msg_id?: string;
  /** Set on a streamed message whose sender disconnected before `stream_end`. */
  incomplete?: true;
  /** The seq of the message this one answers, when the sender said so. */
  in_reply_to?: number;
  /** The task this message is about, when the sender said so. */
  task_id?: string;
  /** Replies in the chain before this message (only when not 0): the replied-to message's hops + 1. */
  hops?: number;
  /** ISO 8601 time the hub stored the message. */
  created_at: string;
  /** The hub the message was sent on, for a message that came through federation. */
  origin_hub?: string;
}

export const storedMessage = schemaOf<StoredMessage>()(
  z.object({
    id: z.string(),
    seq: z.number().int(),
    conversation_id: z.string(),
    sender: z.string(),
    message_type: z.string(),
    content: z.string(),
    payload: z.unknown().exactOptional(),
    client_msg_id: z.string().exactOptional(),
    incomplete: z.literal(true).exactOptional(),
    in_reply_to: z.number().int().exactOptional(),
    task_id: z.string().exactOptional(),
    hops: z.number().int().exactOptional(),
    created_at: isoTime,
    origin_hub: z.string().exactOptional(),
  }),
);

export const conversationInfo = z.object({
  id: z.string(),
  title: z.string().nullable(),
  kind: z.enum(['channel', 'direct']),
  /** Agents allowed in the conversation; null means open to every agent. */
  members: z.array(z.string()).nullable(),
  created_by: z.string(),
  created_at: isoTime,
  last_seq: z.number().int(),
  message_count: z.number().int(),
  /** Set while the loop breaker holds the conversation paused: since when and why. */
  paused: z.object({ at: isoTime, reason: z.string() }).nullable(),
});
export type ConversationInfo = z.output<typeof conversationInfo>;

export const agentInfo = z.object({
  id: z.string(),
  display_name: z.string().nullable(),
  kind: z.string().nullable(),
  capabilities: z.array(z.string()),
  online: z.boolean(),
  connections: z.number().int(),
  last_seen: isoTime.nullable(),
  /** Direct messages waiting in the agent's offline queue (in agent listings, not in presence frames). */
  queue_depth: z.number().int().exactOptional(),
  /** The federated hub the agent is connected to, for an agent online on another hub. */
  hub: z.string().exactOptional(),
});
export type AgentInfo = z.output<typeof agentInfo>;

export interface LimitsInForce {
  max_connections: number;
  max_frame_bytes: number;
  heartbeat_interval_ms: number;
  idle_timeout_ms: number;
  /** Most messages one `send_batch` may carry; a hub without it takes no `send_batch`. */
  max_batch_messages: number;
}

export interface WelcomeFrame {
  type: 'welcome';
  re?: string | number;
  client_id: string;
  agent: { id: string; admin: boolean };
  hub: { version: string; protocol: number };
  limits: LimitsInForce;
  last_seq: number;
}

export interface ErrorFrame {
  type: 'error';
  re?: string | number;
  code: string;
  message: string;
}

/** One entry of a `batch_ack`, in the order of the batch's messages: stored (or a duplicate), or refused. */
export type BatchResult = { duplicate: boolean; message: StoredMessage } | { error: { code: string; message: string } };

export interface BatchAckFrame {
  type: 'batch_ack';
  re?: string | number;
  results: BatchResult[];
}

/** The seed's connection statistics (`get_status`, and `GET /ws/status` with more). */
export const statusData = z.object({
  total_connections: z.number().int(),
  active_connections: z.number().int(),
  total_messages: z.number().int(),
  max_connections: z.number().int(),
  /** Seconds since the hub started. */
  uptime: z.number(),
});
export type StatusData = z.output<typeof statusData>;

export type PresenceFrame = {
  type: 'agent_online' | 'agent_offline';
  agent: AgentInfo;
};

/**
 * The drop receipt: the first frame after `welcome` when the agent's full offline queue dropped direct
 * messages since it last acknowledged a receipt — how many, and the seq range they spanned.
 */
export interface GapFrame {
  type: 'gap';
  dropped: number;
  from_seq: number;
  to_seq: number;
  reason: 'capacity';
}

/** The loop breaker paused a conversation: sends are refused with SB_ERR_PAUSED until a person resumes it. */
export interface ConversationPausedFrame {
  type: 'conversation_paused';
  conversation_id: string;
  /** Which budget ran out: a reply chain too long (`hops`), or two agents alternating too fast (`rate`). */
  rule: 'hops' | 'rate';
  reason: string;
  /** The agents of the loop, sorted: two, or one replying to itself. */
  agents: string[];
}

export interface ConversationResumedFrame {
  type: 'conversation_resumed';
  conversation_id: string;
  /** The agent name of the admin token that resumed it. */
  by: string;
}

/**
 * The provisional reply to the `hello` of an agent name the person has not allowed yet (approveNewAgents):
 * the connection waits, and gets `welcome` once allowed, or an error (SB_ERR_DENIED, SB_ERR_APPROVAL_TIMEOUT)
 * and the close.
 */
export interface ApprovalPendingFrame {
  type: 'approval_pending';
  re?: string | number;
  agent: string;
  /** How long the hub keeps the connection waiting. */
  timeout_ms: number;
  message: string;
}
