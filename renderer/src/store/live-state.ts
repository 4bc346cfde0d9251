/**
 * What the window knows live from the hub, and how a batch of frames changes it. Pure: the reducer takes
 * the state and the frames of one animation frame and returns the new state, so it is tested without a DOM.
 */
import type { AgentInfo, AlertRecord, ApprovalRequest, StoredMessage, TaskRecord } from '../../../shared/index.js';

export type LinkStatus = 'starting' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'signed-out' | 'closed';

/** A message being streamed: it grows chunk by chunk until `stream_end` stores it. */
export interface LiveStream {
  stream_id: string;
  conversation_id: string;
  sender: string;
  message_type: string;
  text: string;
  started_at: number;
}

export interface ConversationActivity {
  last_seq: number;
  /** Messages that arrived while the window was open and the conversation was not. */
  unread: number;
  /** The newest seq the person has had on screen; `last_seq` beyond it means something new since the last visit. */
  seen_seq: number;
  paused: boolean;
}

/** Per-second counts for the live sparklines, newest last. */
export const RATE_SECONDS = 60;

export interface LiveState {
  link: LinkStatus;
  /** Shown under the header: why the link is down, or that it came back. */
  linkNote: string | undefined;
  /** Bumped on every (re)connect, so views refetch what they show. */
  epoch: number;
  session: { agent: string; admin: boolean } | undefined;
  lastSeq: number;
  activity: Record<string, ConversationActivity>;
  /** The conversation open in the timeline, and its loaded messages (older pages are prepended by the view). */
  openConversation: string | undefined;
  timeline: StoredMessage[];
  streams: Record<string, LiveStream>;
  /** Tasks as last pushed by the hub; views overlay these on what they fetched. */
  tasks: Record<string, TaskRecord>;
  agents: Record<string, AgentInfo>;
  alerts: Record<number, AlertRecord>;
  /** Agent names waiting for the person to allow them (pushed to the admin as `approval_requests`), oldest first. */
  approvals: ApprovalRequest[];
  rates: { messages: number[]; tasks: number[] };
  /** Counts in the current second, moved into `rates` by `tick`. */
  counting: { messages: number; tasks: number };
}

export type HubFrame = Record<string, unknown> & { type: string };

/** What a batch holds: stored messages (from the client core's subscription) and every other frame. */
export type LiveItem = { kind: 'message'; message: StoredMessage } | { kind: 'frame'; frame: HubFrame };

export function initialLiveState(): LiveState {
  return {
    link: 'starting',
    linkNote: undefined,
    epoch: 0,
    session: undefined,
    lastSeq: 0,
    activity: {},
    openConversation: undefined,
    timeline: [],
    streams: {},
    tasks: {},
    agents: {},
    alerts: {},
    approvals: [],
    rates: { messages: new Array<number>(RATE_SECONDS).fill(0), tasks: new Array<number>(RATE_SECONDS).fill(0) },
    counting: { messages: 0, tasks: 0 },
  };
}

/** Applies one batch. Collections are copied once per batch, not once per item. */
export function applyLiveItems(state: LiveState, items: readonly LiveItem[]): Partial<LiveState> {
  let lastSeq = state.lastSeq;
  let activity: Record<string, ConversationActivity> | undefined;
  let timeline: StoredMessage[] | undefined;
  let streams: Record<string, LiveStream> | undefined;
  let tasks: Record<string, TaskRecord> | undefined;
  let agents: Record<string, AgentInfo> | undefined;
  let alerts: Record<number, AlertRecord> | undefined;
  let approvals: ApprovalRequest[] | undefined;
  let messages = 0;
  let taskChanges = 0;
  const touch = (id: string): ConversationActivity => {
    activity ??= { ...state.activity };
    const current = activity[id] ?? { last_seq: 0, unread: 0, seen_seq: 0, paused: false };
    const copy = { ...current };
    activity[id] = copy;
    return copy;
  };

  for (const item of items) {
    if (item.kind === 'message') {
      const message = item.message;
      messages += 1;
      lastSeq = Math.max(lastSeq, message.seq);
      const entry = touch(message.conversation_id);
      entry.last_seq = Math.max(entry.last_seq, message.seq);
      if (message.conversation_id === state.openConversation) {
        timeline ??= [...state.timeline];
        const last = timeline[timeline.length - 1];
        if (last === undefined || last.seq < message.seq) timeline.push(message);
        entry.seen_seq = entry.last_seq;
      } else {
        entry.unread += 1;
      }
      continue;
    }
    const frame = item.frame;
    switch (frame.type) {
      case 'stream_start': {
        streams ??= { ...state.streams };
        const id = String(frame['stream_id']);
        streams[id] = {
          stream_id: id,
          conversation_id: String(frame['conversation_id']),
          sender: String(frame['sender'] ?? ''),
          message_type: String(frame['message_type'] ?? 'message'),
          // A stream picked up mid-way (the window opened late) starts with what was streamed so far.
          text: String(frame['content_so_far'] ?? ''),
          started_at: Date.now(),
        };
        break;
      }
      case 'stream_chunk': {
        const id = String(frame['stream_id']);
        const stream = (streams ?? state.streams)[id];
        if (stream === undefined) break;
        streams ??= { ...state.streams };
        streams[id] = { ...stream, text: stream.text + String(frame['content'] ?? '') };
        break;
      }
      case 'stream_end': {
        const id = String(frame['stream_id']);
        if ((streams ?? state.streams)[id] === undefined) break;
        streams ??= { ...state.streams };
        delete streams[id];
        break;
      }
      case 'task_updated': {
        const task = frame['task'] as TaskRecord | undefined;
        if (task === undefined) break;
        tasks ??= { ...state.tasks };
        tasks[task.task_id] = task;
        taskChanges += 1;
        break;
      }
      case 'agent_online':
      case 'agent_offline': {
        const agent = frame['agent'] as AgentInfo | undefined;
        if (agent === undefined) break;
        agents ??= { ...state.agents };
        agents[agent.id] = { ...agents[agent.id], ...agent };
        break;
      }
      case 'alert': {
        const alert = frame['alert'] as AlertRecord | undefined;
        if (alert === undefined) break;
        alerts ??= { ...state.alerts };
        alerts[alert.id] = alert;
        break;
      }
      case 'approval_requests':
        approvals = (frame['pending'] as ApprovalRequest[] | undefined) ?? [];
        break;
      case 'conversation_paused':
      case 'conversation_resumed':
        touch(String(frame['conversation_id'])).paused = frame.type === 'conversation_paused';
        break;
    }
  }

  const next: Partial<LiveState> = {};
  if (lastSeq !== state.lastSeq) next.lastSeq = lastSeq;
  if (activity !== undefined) next.activity = activity;
  if (timeline !== undefined) next.timeline = timeline;
  if (streams !== undefined) next.streams = streams;
  if (tasks !== undefined) next.tasks = tasks;
  if (agents !== undefined) next.agents = agents;
  if (alerts !== undefined) next.alerts = alerts;
  if (approvals !== undefined) next.approvals = approvals;
  if (messages > 0 || taskChanges > 0) {
    next.counting = { messages: state.counting.messages + messages, tasks: state.counting.tasks + taskChanges };
  }
  return next;
}

/** The conversations marked as read: no unread count, and seen up to their newest message. */
export function markConversationsRead(activity: Record<string, ConversationActivity>, ids: readonly string[]): Record<string, ConversationActivity> {
  const next = { ...activity };
  for (const id of ids) {
    const entry = next[id];
    if (entry !== undefined) next[id] = { ...entry, unread: 0, seen_seq: entry.last_seq };
  }
  return next;
}

/** Closes the current second: its counts join the sparkline series. */
export function tickRates(state: LiveState): Partial<LiveState> {
  return {
    rates: {
      messages: [...state.rates.messages.slice(1), state.counting.messages],
      tasks: [...state.rates.tasks.slice(1), state.counting.tasks],
    },
    counting: { messages: 0, tasks: 0 },
  };
}
