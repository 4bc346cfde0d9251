/** A task and its attempts as the hub stores and reports them. */
import type { TaskState } from './task-states.js';

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
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface TaskAttempt {
  attempt: number;
  agent: string;
  assigned_at: string;
  accepted_at: string | null;
  ended_at: string | null;
  /** offered, working, completed, failed, rejected, canceled, expired */
  outcome: string;
  detail: string | null;
}

/** How a task's callback is doing, as `GET /api/tasks/<id>` shows it (the URL is the task's `callback_url`). */
export interface TaskCallbackStatus {
  /** pending: still to send (maybe after a backoff); refused: the address rules said no, nothing was sent. */
  state: 'pending' | 'delivered' | 'failed' | 'refused';
  /** Attempts made so far. */
  attempts: number;
  last_error: string | null;
  /** When the next attempt is due (ISO), while pending. */
  next_attempt_at: string | null;
  /** When it was delivered, failed for good or refused (ISO); null while pending. */
  finished_at: string | null;
}
