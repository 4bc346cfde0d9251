/** Tasks over HTTP for masters, the person and the GUI: send, list, inspect with attempts, answer, cancel, retry and redrive. */
import { z } from 'zod';
import { agentName, newTaskFields, taskFilterFields } from '../../../shared/index.js';
import type { HubServices } from '../services.js';
import { taskRecord } from '../store/task-store.js';
import type { TaskChange } from '../relay/task-service.js';
import { requireIdentity, type Route } from './http-router.js';
import { asObject, parseWith } from './parse.js';

const listQuery = z.object({ ...taskFilterFields, limit: z.coerce.number().int().min(1).max(1000).default(100) });
const cancelBody = z.object({ reason: z.string().max(2000).optional() });
const retryBody = z.object({ to: agentName.optional() });
const inputBody = z.object({ answer: z.json() });

const changed = (change: TaskChange, status = 200) => ({ status, body: { status: 'ok', changed: change.changed, task: taskRecord(change.task) } });

export function taskRoutes(s: Pick<HubServices, 'relay'>): Route[] {
  const { service, tasks, reader } = s.relay;
  const id = (params: Record<string, string>): string => params['id'] ?? '';
  return [
    {
      method: 'POST',
      path: '/api/tasks',
      access: 'token',
      async handle(ctx) {
        const task = parseWith(z.object(newTaskFields), asObject(await ctx.body()), 'task');
        const change = await service.create(requireIdentity(ctx).agent, task);
        return { status: change.changed ? 201 : 200, body: { status: 'ok', duplicate: !change.changed, task: taskRecord(change.task) } };
      },
    },
    {
      method: 'GET',
      path: '/api/tasks',
      access: 'token',
      handle(ctx) {
        const filter = parseWith(listQuery, Object.fromEntries(ctx.query), 'query');
        const caller = requireIdentity(ctx);
        return { body: { status: 'ok', tasks: reader.list(caller, filter).map(taskRecord), counts: reader.counts(caller) } };
      },
    },
    {
      method: 'GET',
      path: '/api/tasks/:id',
      access: 'token',
      handle(ctx) {
        const task = reader.get(requireIdentity(ctx), id(ctx.params));
        return { body: { status: 'ok', task: taskRecord(task), attempts: tasks.attempts(task.task_id), callback: s.relay.callbacks.status(task.task_id) } };
      },
    },
    {
      method: 'POST',
      path: '/api/tasks/:id/cancel',
      access: 'token',
      async handle(ctx) {
        const { reason } = parseWith(cancelBody, asObject(await ctx.body()), 'cancel');
        return changed(await service.cancel(requireIdentity(ctx), id(ctx.params), reason));
      },
    },
    {
      method: 'POST',
      path: '/api/tasks/:id/retry',
      access: 'token',
      async handle(ctx) {
        const { to } = parseWith(retryBody, asObject(await ctx.body()), 'retry');
        return changed(await service.retry(requireIdentity(ctx), id(ctx.params), to), 201);
      },
    },
    {
      method: 'POST',
      path: '/api/tasks/:id/input',
      access: 'token',
      async handle(ctx) {
        const { answer } = parseWith(inputBody, asObject(await ctx.body()), 'input');
        return changed(await service.answer(requireIdentity(ctx), id(ctx.params), answer));
      },
    },
  ];
}
