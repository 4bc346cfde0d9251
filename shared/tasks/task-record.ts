/** A task and its attempts as the hub stores and reports them. */
import { z } from 'zod';
import { isoTime, schemaOf } from '../protocol/common.js';
import { TASK_STATES, type TaskState } from './task-states.js';

export interface TaskRecord {
  task_id: string;
  from: string;
  /** An agent id, or a role / capability that any matching agent may take. */
  to: string;
  type: string;
  cmd: string;
  payload: unknown;
  text: string | null;
  priority: number;
  state: TaskState;
  /** The agent holding the task now (offered or working), if any. */
  assigned_to: string | null;
  /** When the current offer or attempt runs out, ISO time. */
  lease_until: string | null;
  /** When the task is next due for dispatch, ISO time. */
  run_at: string;
  timeout_ms: number;
  attempts: number;
  /** Offers made so far; numbers the attempt records (an offer withdrawn because the agent left is not an attempt). */
  offers: number;
  max_attempts: number;
  idempotency_key: string | null;
  callback_url: string | null;
  result: unknown;
  error: string | null;
  /** The child's question while the task is input-required. */
  question: string | null;
  progress: unknown;
  /** The task this one retries or redrives (lineage). */
  retry_of: string | null;
  /** The seq of the message the task came from, when its sender said so. */
  in_reply_to: number | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export const taskRecord = schemaOf<TaskRecord>()(
  z.object({
    task_id: z.string(),
    from: z.string(),
    to: z.string(),
    type: z.string(),
    cmd: z.string(),
    payload: z.unknown(),
    text: z.string().nullable(),
    priority: z.number().int(),
    state: z.enum(TASK_STATES),
    assigned_to: z.string().nullable(),
    lease_until: isoTime.nullable(),
    run_at: isoTime,
    timeout_ms: z.number().int(),
    attempts: z.number().int(),
    offers: z.number().int(),
    max_attempts: z.number().int(),
    idempotency_key: z.string().nullable(),
    callback_url: z.string().nullable(),
    result: z.unknown(),
    error: z.string().nullable(),
    question: z.string().nullable(),
    progress: z.unknown(),
    retry_of: z.string().nullable(),
    in_reply_to: z.number().int().nullable(),
    created_at: isoTime,
    updated_at: isoTime,
    finished_at: isoTime.nullable(),
  }),
);

export const taskAttempt = z.object({
  attempt: z.number().int(),
  agent: z.string(),
  assigned_at: isoTime,
  accepted_at: isoTime.nullable(),
  ended_at: isoTime.nullable(),
  /** offered, working, completed, failed, rejected, canceled, expired */
  outcome: z.string(),
  detail: z.string().nullable(),
});
export type TaskAttempt = z.output<typeof taskAttempt>;

/** How a task's callback is doing, as `GET /api/tasks/<id>` shows it (the URL is the task's `callback_url`). */
export const taskCallbackStatus = z.object({
  /** pending: still to send (maybe after a backoff); refused: the address rules said no, nothing was sent. */
  state: z.enum(['pending', 'delivered', 'failed', 'refused']),
  /** Attempts made so far. */
  attempts: z.number().int(),
  last_error: z.string().nullable(),
  /** When the next attempt is due, while pending. */
  next_attempt_at: isoTime.nullable(),
  /** When it was delivered, failed for good or refused; null while pending. */
  finished_at: isoTime.nullable(),
});
export type TaskCallbackStatus = z.output<typeof taskCallbackStatus>;
