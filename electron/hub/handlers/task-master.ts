/** Task frames a master (or the person) sends: `task_send`, `task_input`, `task_cancel`, `task_retry`, `task_get`, `task_list`. */
import type { z } from 'zod';
import { taskCancelFrame, taskGetFrame, taskInputFrame, taskListFrame, taskRetryFrame, taskSendFrame } from '../../../shared/index.js';
import type { Identity } from '../ws/connection.js';
import type { TaskChange } from '../relay/task-service.js';
import { identityOf, reply, type FrameContext, type HandlerSpec } from '../ws/router.js';
import type { HubServices } from '../services.js';
import { taskRecord } from '../store/task-store.js';

/** The reply to a task change: the task as stored, and whether this request changed it. */
export function ackTask(ctx: FrameContext, change: TaskChange): void {
  reply(ctx, { type: 'ack', changed: change.changed, task: taskRecord(change.task) });
}

/** A handler that makes one task change for the sending agent and acks it with {@link ackTask}. */
export function taskChange<S extends z.ZodType>(
  type: string,
  schema: S,
  change: (identity: Identity, frame: z.output<S>) => Promise<TaskChange>,
): HandlerSpec<S> {
  return {
    type,
    schema,
    async handle(ctx) {
      ackTask(ctx, await change(identityOf(ctx), ctx.frame));
    },
  };
}

export function taskMasterHandlers(s: Pick<HubServices, 'relay'>): HandlerSpec[] {
  const tasks = s.relay.service;
  const handlers = [
    {
      type: 'task_send',
      schema: taskSendFrame,
      async handle(ctx) {
        const identity = identityOf(ctx);
        const change = await tasks.create(identity.agent, ctx.frame.task, identity.admin);
        reply(ctx, { type: 'ack', duplicate: !change.changed, task: taskRecord(change.task) });
      },
    } satisfies HandlerSpec<typeof taskSendFrame>,
    taskChange('task_input', taskInputFrame, (identity, frame) => tasks.answer(identity, frame.task_id, frame.answer)),
    taskChange('task_cancel', taskCancelFrame, (identity, frame) => tasks.cancel(identity, frame.task_id, frame.reason)),
    taskChange('task_retry', taskRetryFrame, (identity, frame) => tasks.retry(identity, frame.task_id, frame.to)),
    {
      type: 'task_get',
      schema: taskGetFrame,
      handle(ctx) {
        const task = s.relay.reader.get(identityOf(ctx), ctx.frame.task_id);
        reply(ctx, { type: 'task_get_response', task: taskRecord(task), attempts: s.relay.tasks.attempts(task.task_id) });
      },
    } satisfies HandlerSpec<typeof taskGetFrame>,
    {
      type: 'task_list',
      schema: taskListFrame,
      handle(ctx) {
        const { state, from, to, cmd, limit } = ctx.frame;
        reply(ctx, { type: 'task_list_response', tasks: s.relay.reader.list(identityOf(ctx), { state, from, to, cmd, limit }).map(taskRecord) });
      },
    } satisfies HandlerSpec<typeof taskListFrame>,
  ];
  return handlers as unknown as HandlerSpec[];
}
