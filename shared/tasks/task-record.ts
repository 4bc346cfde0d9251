/** A task and its attempts as the hub stores and reports them. */
import { z } from 'zod';
import { isoTime } from '../protocol/common.js';
import { TASK_STATES } from './task-states.js';

export const taskRecord = z.object({
  task_id: z.string(),
  from: z.string(),
  /** An agent id, or a role / capability that any matching agent may take. */
  to: z.string(),
  type: z.string(),
  cmd: z.string(),
  payload: z.unknown(),
  text: z.string().nullable(),
  priority: z.number().int(),
  state: z.enum(TASK_STATES),
  /** The agent holding the task now (offered or working), if any. */
  assigned_to: z.string().nullable(),
  /** When the current offer or attempt runs out. */
  lease_until: isoTime.nullable(),
  /** When the task is next due for dispatch. */
  run_at: isoTime,
  timeout_ms: z.number().int(),
  attempts: z.number().int(),
  /** Offers made so far; numbers the attempt records (an offer withdrawn because the agent left is not an attempt). */
  offers: z.number().int(),
  max_attempts: z.number().int(),
  idempotency_key: z.string().nullable(),
  callback_url: z.string().nullable(),
  result: z.unknown(),
  error: z.string().nullable(),
  /** The child's question while the task is input-required. */
  question: z.string().nullable(),
  progress: z.unknown(),
  /** The task this one retries or redrives (lineage). */
  retry_of: z.string().nullable(),
  created_at: isoTime,
  updated_at: isoTime,
  finished_at: isoTime.nullable(),
});
export type TaskRecord = z.output<typeof taskRecord>;

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
