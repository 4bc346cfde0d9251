/**
 * Tasks over HTTP: for masters, the person and the dashboard (send, list, inspect, answer, cancel, retry),
 * and the seed's relay API (send, report a result, read a status).
 */
import { z } from 'zod';
import { agentName } from '../common.js';
import { newTaskFields, taskFilterFields } from '../task-frames.js';
import { TASK_STATES } from '../../tasks/task-states.js';
import { taskAttempt, taskCallbackStatus, taskRecord } from '../../tasks/task-record.js';
import { okStatus, pageLimit } from './common.js';
import { defineRoute } from './route.js';

export const createTaskRequest = z.object(newTaskFields);
export type CreateTaskRequest = z.input<typeof createTaskRequest>;

/** 201 when created, 200 with `duplicate` when the `idempotency_key` was seen before (the first task is answered). */
export const createTaskResponse = z.object({ status: okStatus, duplicate: z.boolean(), task: taskRecord });

export const listTasksQuery = z.object({ ...taskFilterFields, limit: pageLimit(100) });
export type ListTasksQuery = z.input<typeof listTasksQuery>;

/** Latest change first; `counts` covers every task the caller may see, by state. */
export const listTasksResponse = z.object({
  status: okStatus,
  tasks: z.array(taskRecord),
  counts: z.partialRecord(z.enum(TASK_STATES), z.number().int()),
});
export type ListTasksResponse = z.output<typeof listTasksResponse>;

/** The task with its attempts, and how its callback is doing (null without one). */
export const taskDetailResponse = z.object({ status: okStatus, task: taskRecord, attempts: z.array(taskAttempt), callback: taskCallbackStatus.nullable() });
export type TaskDetailResponse = z.output<typeof taskDetailResponse>;

export const cancelTaskRequest = z.object({ reason: z.string().max(2000).optional() });
export type CancelTaskRequest = z.input<typeof cancelTaskRequest>;

/** Without `to`, to the same agent or role; with it, redriven to another. */
export const retryTaskRequest = z.object({ to: agentName.optional() });
export type RetryTaskRequest = z.input<typeof retryTaskRequest>;

/** The answer to an input-required task's question. */
export const answerTaskRequest = z.object({ answer: z.json() });
export type AnswerTaskRequest = z.input<typeof answerTaskRequest>;

/** `changed` is false when the task was already in the state asked for; a retry answers the new task. */
export const taskChangeResponse = z.object({ status: okStatus, changed: z.boolean(), task: taskRecord });
export type TaskChangeResponse = z.output<typeof taskChangeResponse>;

/** The seed's send: a new task, from the token's agent or (admin token) the agent named in `from`. */
export const relaySendRequest = z.object({ from: agentName.optional(), ...newTaskFields });
export type RelaySendRequest = z.input<typeof relaySendRequest>;

/** `duplicate` only when the `idempotency_key` was seen before. */
export const relaySendResponse = z.object({ status: okStatus, task_id: z.string(), duplicate: z.literal(true).exactOptional() });

/** The seed's result report; `done` and A2A's `completed` mean the same. */
export const relayCallbackRequest = z.object({
  task_id: z.string().min(1).max(100),
  child_id: agentName.optional(),
  status: z.enum(['done', 'completed', 'failed']),
  result: z.json().optional(),
  error: z.string().max(10_000).optional(),
});
export type RelayCallbackRequest = z.input<typeof relayCallbackRequest>;

/** The seed's coarse status of a task. */
export const seedTaskStatus = z.enum(['pending', 'completed', 'failed']);

export const relayCallbackResponse = z.object({ status: okStatus, task_id: z.string(), task_status: seedTaskStatus, changed: z.boolean() });

export const relayTaskStatusResponse = z.object({
  status: okStatus,
  task_id: z.string(),
  task_status: seedTaskStatus,
  state: z.enum(TASK_STATES),
  assigned_to: z.string().nullable(),
  attempts: z.number().int(),
  result: z.unknown(),
  error: z.string().nullable(),
});

export const taskApi = {
  createTask: defineRoute({ method: 'POST', path: '/api/tasks', access: 'token', body: createTaskRequest, ok: [201, 200], response: createTaskResponse }),
  listTasks: defineRoute({ method: 'GET', path: '/api/tasks', access: 'token', query: listTasksQuery, ok: [200], response: listTasksResponse }),
  taskDetail: defineRoute({ method: 'GET', path: '/api/tasks/:id', access: 'token', ok: [200], response: taskDetailResponse }),
  cancelTask: defineRoute({ method: 'POST', path: '/api/tasks/:id/cancel', access: 'token', body: cancelTaskRequest, ok: [200], response: taskChangeResponse }),
  retryTask: defineRoute({ method: 'POST', path: '/api/tasks/:id/retry', access: 'token', body: retryTaskRequest, ok: [201], response: taskChangeResponse }),
  answerTask: defineRoute({ method: 'POST', path: '/api/tasks/:id/input', access: 'token', body: answerTaskRequest, ok: [200], response: taskChangeResponse }),
  relaySend: defineRoute({ method: 'POST', path: '/api/relay/send', access: 'token', body: relaySendRequest, ok: [200], response: relaySendResponse }),
  relayCallback: defineRoute({
    method: 'POST',
    path: '/api/relay/callback',
    access: 'token',
    body: relayCallbackRequest,
    ok: [200],
    response: relayCallbackResponse,
  }),
  relayTaskStatus: defineRoute({ method: 'GET', path: '/api/relay/task-status/:id', access: 'token', ok: [200], response: relayTaskStatusResponse }),
};
