/** Tasks over HTTP for masters, the person and the GUI: send, list, inspect with attempts, answer, cancel, retry and redrive. */
import { answerTaskRequest, cancelTaskRequest, createTaskRequest, listTasksQuery, retryTaskRequest, type TaskChangeResponse } from '../../../shared/index.js';
import type { HubServices } from '../services.js';
import { taskRecord } from '../store/task-store.js';
import type { TaskChange } from '../relay/task-service.js';
import { requireIdentity, route, type Route } from './http-router.js';
import { asObject, parseWith } from './parse.js';

const changed = (change: TaskChange): TaskChangeResponse => ({ status: 'ok', changed: change.changed, task: taskRecord(change.task) });

export function taskRoutes(s: Pick<HubServices, 'relay'>): Route[] {
  const { service, tasks, reader } = s.relay;
  return [
    route('createTask', {
      async handle(ctx) {
        const task = parseWith(createTaskRequest, asObject(await ctx.body()), 'task');
        const identity = requireIdentity(ctx);
        const change = await service.create(identity.agent, task, identity.admin);
        return { status: change.changed ? 201 : 200, body: { status: 'ok', duplicate: !change.changed, task: taskRecord(change.task) } };
      },
    }),
    route('listTasks', {
      handle(ctx) {
        const filter = parseWith(listTasksQuery, Object.fromEntries(ctx.query), 'query');
        const caller = requireIdentity(ctx);
        return { body: { status: 'ok', tasks: reader.list(caller, filter).map(taskRecord), counts: reader.counts(caller) } };
      },
    }),
    route('taskDetail', {
      handle(ctx) {
        const task = reader.get(requireIdentity(ctx), ctx.params.id);
        return { body: { status: 'ok', task: taskRecord(task), attempts: tasks.attempts(task.task_id), callback: s.relay.callbacks.status(task.task_id) } };
      },
    }),
    route('cancelTask', {
      async handle(ctx) {
        const { reason } = parseWith(cancelTaskRequest, asObject(await ctx.body()), 'cancel');
        return { body: changed(await service.cancel(requireIdentity(ctx), ctx.params.id, reason)) };
      },
    }),
    route('retryTask', {
      async handle(ctx) {
        const { to } = parseWith(retryTaskRequest, asObject(await ctx.body()), 'retry');
        return { status: 201, body: changed(await service.retry(requireIdentity(ctx), ctx.params.id, to)) };
      },
    }),
    route('answerTask', {
      async handle(ctx) {
        const { answer } = parseWith(answerTaskRequest, asObject(await ctx.body()), 'input');
        return { body: changed(await service.answer(requireIdentity(ctx), ctx.params.id, answer)) };
      },
    }),
  ];
}
