/**
 * What a message caused: the tasks sent in reply to it (their `in_reply_to`), the messages that answer it,
 * and the alerts those tasks counted in. Each part is one indexed read, bounded.
 */
import { SwitchboardError, type EffectAlert, type MessageEffectsResponse } from '../../../shared/index.js';
import type { TaskCaller, TaskReader } from '../relay/task-reader.js';
import type { Db } from '../store/database.js';
import type { EventRow } from '../store/event-store.js';
import { rowToMessage, type MessageRow, type MessageStore } from '../store/message-store.js';
import { taskRecord, type TaskStore } from '../store/task-store.js';
import type { MessageReadable } from './message-visibility.js';

/** Tasks, replies and alerts answered at most, each. */
export const MAX_EFFECTS = 100;

export type MessageEffects = ReturnType<typeof createMessageEffects>;

export function createMessageEffects(deps: { db: Db; tasks: TaskStore; reader: TaskReader; messages: MessageStore; mayRead: MessageReadable }) {
  const { db } = deps;
  const tasksFrom = db.prepare<[number, number], { task_id: string }>('SELECT task_id FROM tasks WHERE in_reply_to = ? ORDER BY created_at LIMIT +?');
  const replies = db.prepare<[number, number], MessageRow>('SELECT * FROM messages WHERE in_reply_to = ? ORDER BY seq LIMIT +?');
  const alerted = db.prepare<[string, number], EventRow>("SELECT * FROM events WHERE subject = ? AND kind = 'task.alerted' ORDER BY id LIMIT +?");

  return {
    /** The effects of a message the caller may read (SB_ERR_NOT_FOUND otherwise, whether or not it exists). */
    effects(caller: TaskCaller, seq: number): MessageEffectsResponse {
      const message = deps.messages.get(seq);
      if (message === undefined || !deps.mayRead(caller, message.conversation_id)) throw new SwitchboardError('SB_ERR_NOT_FOUND', `no message ${seq}`);
      let truncated = false;

      const taskRows = tasksFrom.all(seq, MAX_EFFECTS + 1);
      if (taskRows.length > MAX_EFFECTS) truncated = true;
      const tasks = taskRows.slice(0, MAX_EFFECTS).flatMap(({ task_id }) => {
        const task = deps.tasks.get(task_id);
        return task !== undefined && deps.reader.maySee(caller, task) ? [taskRecord(task)] : [];
      });

      const replyRows = replies.all(seq, MAX_EFFECTS + 1);
      if (replyRows.length > MAX_EFFECTS) truncated = true;
      const answers = replyRows
        .slice(0, MAX_EFFECTS)
        .filter((row) => deps.mayRead(caller, row.conversation_id))
        .map(rowToMessage);

      // Alerts are the person's: an agent's token reads none.
      const alerts: EffectAlert[] = [];
      if (caller.admin) {
        for (const task of tasks) {
          for (const row of alerted.all(task.task_id, MAX_EFFECTS)) {
            const detail = (row.detail === null ? {} : JSON.parse(row.detail)) as Record<string, unknown>;
            if (typeof detail['alert'] !== 'number') continue;
            alerts.push({
              id: detail['alert'],
              task_id: task.task_id,
              ts: new Date(row.ts).toISOString(),
              rule: String(detail['rule'] ?? ''),
              level: String(detail['level'] ?? ''),
              message: String(detail['message'] ?? ''),
            });
          }
        }
        alerts.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
        if (alerts.length > MAX_EFFECTS) truncated = true;
      }

      return { status: 'ok', message, tasks, replies: answers, alerts: alerts.slice(0, MAX_EFFECTS), truncated };
    },
  };
}
