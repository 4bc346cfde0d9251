/** Frames for tasks: a master sends, a child accepts, reports progress, asks, and sends the result. */
import { z } from 'zod';
import { TASK_STATES } from '../tasks/task-states.js';
import { agentName, jsonPayload, pageLimit, requestId } from './common.js';

export const taskId = z.string().min(1).max(100);

/** An agent id, or a role or capability that any matching agent may take. */
const target = agentName;

/** A time as ISO 8601 text or epoch milliseconds. */
const timestamp = z.union([z.iso.datetime({ offset: true }).transform((text) => Date.parse(text)), z.number().int().min(0)]);

/** The fields that describe a new task, shared by the `task_send` frame and the HTTP APIs. */
export const newTaskFields = {
  to: target,
  type: z.string().min(1).max(50).default('task'),
  cmd: z.string().min(1).max(200),
  payload: jsonPayload.optional(),
  text: z.string().max(100_000).optional(),
  priority: z.number().int().min(-1000).max(1000).default(0),
  run_at: timestamp.optional(),
  timeout_ms: z
    .number()
    .int()
    .min(100)
    .max(7 * 86_400_000)
    .optional(),
  max_attempts: z.number().int().min(1).max(100).default(3),
  idempotency_key: z.string().min(1).max(200).optional(),
  callback_url: z.string().min(1).max(2000).optional(),
  /** The seq of the message the task came from; the sender must be able to read it. */
  in_reply_to: z.number().int().min(1).optional(),
};

export const taskSendFrame = z.object({ type: z.literal('task_send'), id: requestId, task: z.object(newTaskFields) });

const onTask = <T extends string>(type: T) => ({ type: z.literal(type), id: requestId, task_id: taskId });

export const taskAcceptFrame = z.object(onTask('task_accept'));
export const taskRejectFrame = z.object({ ...onTask('task_reject'), reason: z.string().max(2000).optional() });
export const taskProgressFrame = z.object({ ...onTask('task_progress'), progress: jsonPayload.optional(), message: z.string().max(10_000).optional() });
export const taskInputRequiredFrame = z.object({ ...onTask('task_input_required'), question: z.string().min(1).max(100_000) });
export const taskInputFrame = z.object({ ...onTask('task_input'), answer: jsonPayload });
export const taskResultFrame = z.object({
  ...onTask('task_result'),
  status: z.enum(['completed', 'failed']),
  result: jsonPayload.optional(),
  error: z.string().max(10_000).optional(),
});
export const taskCancelFrame = z.object({ ...onTask('task_cancel'), reason: z.string().max(2000).optional() });
/** Retry a finished task as a new one; with `to`, redrive it to another agent or role. */
export const taskRetryFrame = z.object({ ...onTask('task_retry'), to: target.optional() });
export const taskGetFrame = z.object(onTask('task_get'));

export const taskFilterFields = {
  state: z.enum(TASK_STATES).optional(),
  from: agentName.optional(),
  to: agentName.optional(),
  cmd: z.string().max(200).optional(),
  limit: pageLimit.default(100),
};
export const taskListFrame = z.object({ type: z.literal('task_list'), id: requestId, ...taskFilterFields });

export type NewTask = z.output<z.ZodObject<typeof newTaskFields>>;
