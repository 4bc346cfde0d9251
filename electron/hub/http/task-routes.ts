/** Tasks over HTTP for masters, the person and the GUI: send, list, inspect with attempts, answer, cancel, retry and redrive. */
import { z } from 'zod';
import { agentName, newTaskFields, taskFilterFields, type TaskChangeResponse } from '../../../shared/index.js';
import type { HubServices } from '../services.js';
import { taskRecord } from '../store/task-store.js';
import type { TaskChange } from '../relay/task-service.js';
import { requireIdentity, route, type Route } from './http-router.js';
import { asObject, parseWith } from './parse.js';

const listQuery = z.object({ ...taskFilterFields, limit: z.coerce.number().int().min(1).max(1000).default(100) });
const cancelBody = z.object({ reason: z.string().max(2000).optional() });
const retryBody = z.object({ to: agentName.optional() });
const inputBody = z.object({ answer: z.json() });

const changed = (change: TaskChange): TaskChangeResponse => ({ status: 'ok', changed: change.changed, task: taskRecord(change.task) });

export function taskRoutes(s: Pick<HubServices, 'relay'>): Route[] {
  const { service, tasks, reader } = s.relay;
  return [
    route('createTask', {
      async handle(ctx) {
        const task = parseWith(z.object(newTaskFields), asObject(await ctx.body()), 'task');
        const change = await service.create(requireIdentity(ctx).agent, task);
        return { status: change.changed ? 201 : 200, body: { status: 'ok', duplicate: !change.changed, task: taskRecord(change.task) } };
      },
    }),
    route('listTasks', {
      handle(ctx) {
        const filter = parseWith(listQuery, Object.fromEntries(ctx.query), 'query');
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
        const { reason } = parseWith(cancelBody, asObject(await ctx.body()), 'cancel');
        return { body: changed(await service.cancel(requireIdentity(ctx), ctx.params.id, reason)) };
      },
    }),
    route('retryTask', {
      async handle(ctx) {
        const { to } = parseWith(retryBody, asObject(await ctx.body()), 'retry');
        return { status: 201, body: changed(await service.retry(requireIdentity(ctx), ctx.params.id, to)) };
      },
    }),
    route('answerTask', {
      async handle(ctx) {
        const { answer } = parseWith(inputBody, asObject(await ctx.body()), 'input');
        return { body: changed(await service.answer(requireIdentity(ctx), ctx.params.id, answer)) };
      },
    }),
  ];
}
