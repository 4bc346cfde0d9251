/** Task frames the child holding a task sends: `task_accept`, `task_reject`, `task_progress`, `task_input_required`, `task_result`. */
import { taskAcceptFrame, taskInputRequiredFrame, taskProgressFrame, taskRejectFrame, taskResultFrame } from '../../../shared/index.js';
import { identityOf, type HandlerSpec } from '../router.js';
import type { HubServices } from '../services.js';
import { ackTask } from './task-master.js';

export function taskChildHandlers(s: HubServices): HandlerSpec[] {
  const handlers = [
    {
      type: 'task_accept',
      schema: taskAcceptFrame,
      async handle(ctx) {
        ackTask(ctx, await s.relay.service.accept(identityOf(ctx), ctx.frame.task_id));
      },
    } satisfies HandlerSpec<typeof taskAcceptFrame>,
    {
      type: 'task_reject',
      schema: taskRejectFrame,
      async handle(ctx) {
        ackTask(ctx, await s.relay.service.reject(identityOf(ctx), ctx.frame.task_id, ctx.frame.reason));
      },
    } satisfies HandlerSpec<typeof taskRejectFrame>,
    {
      type: 'task_progress',
      schema: taskProgressFrame,
      async handle(ctx) {
        ackTask(ctx, await s.relay.service.progress(identityOf(ctx), ctx.frame.task_id, ctx.frame.progress, ctx.frame.message));
      },
    } satisfies HandlerSpec<typeof taskProgressFrame>,
    {
      type: 'task_input_required',
      schema: taskInputRequiredFrame,
      async handle(ctx) {
        ackTask(ctx, await s.relay.service.ask(identityOf(ctx), ctx.frame.task_id, ctx.frame.question));
      },
    } satisfies HandlerSpec<typeof taskInputRequiredFrame>,
    {
      type: 'task_result',
      schema: taskResultFrame,
      async handle(ctx) {
        const { task_id, status, result, error } = ctx.frame;
        ackTask(ctx, await s.relay.service.result(identityOf(ctx), task_id, status, result, error));
      },
    } satisfies HandlerSpec<typeof taskResultFrame>,
  ];
  return handlers as unknown as HandlerSpec[];
}
