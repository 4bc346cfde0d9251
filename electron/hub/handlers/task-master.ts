/** Task frames a master (or the person) sends: `task_send`, `task_input`, `task_cancel`, `task_retry`, `task_get`, `task_list`. */
import { taskCancelFrame, taskGetFrame, taskInputFrame, taskListFrame, taskRetryFrame, taskSendFrame } from '../../../shared/index.js';
import type { TaskChange } from '../relay/task-service.js';
import { identityOf, reply, type FrameContext, type HandlerSpec } from '../router.js';
import type { HubServices } from '../services.js';
import { taskRecord } from '../store/task-store.js';

/** The reply to a task change: the task as stored, and whether this request changed it. */
export function ackTask(ctx: FrameContext, change: TaskChange): void {
  reply(ctx, { type: 'ack', changed: change.changed, task: taskRecord(change.task) });
}

export function taskMasterHandlers(s: HubServices): HandlerSpec[] {
  const handlers = [
    {
      type: 'task_send',
      schema: taskSendFrame,
      async handle(ctx) {
        const change = await s.relay.service.create(identityOf(ctx).agent, ctx.frame.task);
        reply(ctx, { type: 'ack', duplicate: !change.changed, task: taskRecord(change.task) });
      },
    } satisfies HandlerSpec<typeof taskSendFrame>,
    {
      type: 'task_input',
      schema: taskInputFrame,
      async handle(ctx) {
        ackTask(ctx, await s.relay.service.answer(identityOf(ctx), ctx.frame.task_id, ctx.frame.answer));
      },
    } satisfies HandlerSpec<typeof taskInputFrame>,
    {
      type: 'task_cancel',
      schema: taskCancelFrame,
      async handle(ctx) {
        ackTask(ctx, await s.relay.service.cancel(identityOf(ctx), ctx.frame.task_id, ctx.frame.reason));
      },
    } satisfies HandlerSpec<typeof taskCancelFrame>,
    {
      type: 'task_retry',
      schema: taskRetryFrame,
      async handle(ctx) {
        ackTask(ctx, await s.relay.service.retry(identityOf(ctx), ctx.frame.task_id, ctx.frame.to));
      },
    } satisfies HandlerSpec<typeof taskRetryFrame>,
    {
      type: 'task_get',
      schema: taskGetFrame,
      handle(ctx) {
        const task = s.relay.service.get(ctx.frame.task_id);
        reply(ctx, { type: 'task_get_response', task: taskRecord(task), attempts: s.relay.tasks.attempts(task.task_id) });
      },
    } satisfies HandlerSpec<typeof taskGetFrame>,
    {
      type: 'task_list',
      schema: taskListFrame,
      handle(ctx) {
        const { state, from, to, cmd, limit } = ctx.frame;
        reply(ctx, { type: 'task_list_response', tasks: s.relay.tasks.list({ state, from, to, cmd, limit }).map(taskRecord) });
      },
    } satisfies HandlerSpec<typeof taskListFrame>,
  ];
  return handlers as unknown as HandlerSpec[];
}
