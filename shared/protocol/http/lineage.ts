/**
 * A task's whole story and a message's effects over HTTP: what led to a task and everything that happened to
 * it, oldest first, each entry linked to where it is stored; and what a message caused.
 */
import { z } from 'zod';
import { isoTime } from '../common.js';
import { storedMessage } from '../server-frames.js';
import { taskRecord } from '../../tasks/task-record.js';
import { okStatus } from './common.js';
import { defineRoute } from './route.js';

/** Where an entry is stored: a message (by seq), an audit event (by its row id), an alert, or another task. */
export const lineageSource = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), seq: z.number().int(), conversation_id: z.string() }),
  z.object({ type: z.literal('audit'), id: z.number().int() }),
  z.object({ type: z.literal('alert'), id: z.number().int() }),
  z.object({ type: z.literal('task'), task_id: z.string() }),
]);
export type LineageSource = z.output<typeof lineageSource>;

export const LINEAGE_KINDS = [
  /** The message the task came from (its `in_reply_to`). */
  'origin',
  'created',
  /** The task this one retries or redrives. */
  'retry_of',
  /** An offer to an agent: one attempt, with its outcome in the detail. */
  'offered',
  'accepted',
  'rejected',
  /** Back in the queue: the offer or attempt ran out, or the agent went offline. */
  'requeued',
  'progress',
  'question',
  'answer',
  'completed',
  'failed',
  'canceled',
  /** One callback delivery attempt and its answer. */
  'callback',
  /** An alert the task's failure counted in. */
  'alert',
  /** A new task that retries or redrives this one. */
  'retried',
  /** A message posted about the task (its `task_id`). */
  'message',
] as const;
export type LineageKind = (typeof LINEAGE_KINDS)[number];

export const lineageEntry = z.object({
  ts: isoTime,
  kind: z.enum(LINEAGE_KINDS),
  /** Who did it; null when the hub did (an expired lease, a callback, an alert). */
  actor: z.string().nullable(),
  /** One line for people. */
  summary: z.string(),
  source: lineageSource,
  /** What else is known: the attempt and its outcome, the progress, the answer, the callback's HTTP status or error, … */
  detail: z.record(z.string(), z.unknown()),
});
export type LineageEntry = z.output<typeof lineageEntry>;

/** Entries oldest first; `truncated` when the story was longer than the hub answers with (the oldest are kept). */
export const taskLineageResponse = z.object({ status: okStatus, task: taskRecord, entries: z.array(lineageEntry), truncated: z.boolean() });
export type TaskLineageResponse = z.output<typeof taskLineageResponse>;

/** An alert raised by a task that a message caused. */
export const effectAlert = z.object({
  id: z.number().int(),
  task_id: z.string(),
  ts: isoTime,
  rule: z.string(),
  level: z.string(),
  message: z.string(),
});
export type EffectAlert = z.output<typeof effectAlert>;

/** What a message caused: tasks sent in reply to it, replies to it, and the alerts those tasks raised; each oldest first. */
export const messageEffectsResponse = z.object({
  status: okStatus,
  message: storedMessage,
  tasks: z.array(taskRecord),
  replies: z.array(storedMessage),
  alerts: z.array(effectAlert),
  truncated: z.boolean(),
});
export type MessageEffectsResponse = z.output<typeof messageEffectsResponse>;

export const lineageApi = {
  taskLineage: defineRoute({ method: 'GET', path: '/api/tasks/:id/lineage', access: 'token', ok: [200], response: taskLineageResponse }),
  messageEffects: defineRoute({ method: 'GET', path: '/api/messages/:seq/effects', access: 'token', ok: [200], response: messageEffectsResponse }),
};
