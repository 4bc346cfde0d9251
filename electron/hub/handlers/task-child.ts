/** Task frames the child holding a task sends: `task_accept`, `task_reject`, `task_progress`, `task_input_required`, `task_result`. */
import { taskAcceptFrame, taskInputRequiredFrame, taskProgressFrame, taskRejectFrame, taskResultFrame } from '../../../shared/index.js';
import type { HandlerSpec } from '../ws/router.js';
import type { HubServices } from '../services.js';
import { taskChange } from './task-master.js';

export function taskChildHandlers(s: Pick<HubServices, 'relay'>): HandlerSpec[] {
  const tasks = s.relay.service;
  const handlers = [
    taskChange('task_accept', taskAcceptFrame, (identity, frame) => tasks.accept(identity, frame.task_id)),
    taskChange('task_reject', taskRejectFrame, (identity, frame) => tasks.reject(identity, frame.task_id, frame.reason)),
    taskChange('task_progress', taskProgressFrame, (identity, frame) => tasks.progress(identity, frame.task_id, frame.progress, frame.message)),
    taskChange('task_input_required', taskInputRequiredFrame, (identity, frame) => tasks.ask(identity, frame.task_id, frame.question)),
    taskChange('task_result', taskResultFrame, (identity, { task_id, status, result, error }) => tasks.result(identity, task_id, status, result, error)),
  ];
  return handlers as unknown as HandlerSpec[];
}
