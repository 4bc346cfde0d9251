/** The shapes of what the hub sends: stored records and server-to-client frames. */

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
  /** Replies in the chain before this message (only when not 0): the replied-to message's hops + 1. */
  hops?: number;
  /** ISO 8601 time the hub stored the message. */
  created_at: string;
}

export interface ConversationInfo {
  id: string;
  title: string | null;
  kind: 'channel' | 'direct';
  /** Agents allowed in the conversation; null means open to every agent. */
  members: string[] | null;
  created_by: string;
  created_at: string;
  last_seq: number;
  message_count: number;
  /** Set while the loop breaker holds the conversation paused: since when (ISO 8601) and why. */
  paused: { at: string; reason: string } | null;
}

export interface AgentInfo {
  id: string;
  display_name: string | null;
  kind: string | null;
  capabilities: string[];
  online: boolean;
  connections: number;
  last_seen: string | null;
  /** Direct messages waiting in the agent's offline queue (in agent listings, not in presence frames). */
  queue_depth?: number;
}

export interface LimitsInForce {
  max_connections: number;
  max_frame_bytes: number;
  heartbeat_interval_ms: number;
  idle_timeout_ms: number;
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

export interface StatusData {
  total_connections: number;
  active_connections: number;
  total_messages: number;
  max_connections: number;
  uptime: number;
}

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
