/**
 * Pushes task changes: `task_updated` to the master's connections and to watchers that may see the task,
 * and frames to the child holding a task.
 */
import type { Connection } from '../ws/connection.js';
import type { Presence } from '../messaging/presence.js';
import { taskRecord, type Task } from '../store/task-store.js';
import type { TaskCaller } from './task-reader.js';

export type TaskNotifier = ReturnType<typeof createTaskNotifier>;

export function createTaskNotifier(presence: Presence, maySee: (caller: TaskCaller, task: Task) => boolean) {
  const watchers = new Set<Connection>();
  /** Round-robin position per agent, so an agent with several connections shares its tasks among them. */
  const turn = new Map<string, number>();

  return {
    /** Sends `task_updated` (serialised once) to the master's connections and every watcher that may see the task. */
    changed(task: Task, event: string, extra: Record<string, unknown> = {}): void {
      const frame = JSON.stringify({ type: 'task_updated', event, ...extra, task: taskRecord(task) });
      const sent = new Set<Connection>();
      for (const conn of presence.connectionsOf(task.from)) {
        conn.send(frame);
        sent.add(conn);
      }
      for (const conn of watchers) {
        if (!sent.has(conn) && conn.identity !== undefined && maySee(conn.identity, task)) conn.send(frame);
      }
    },
    /** Sends a frame to one open connection of an agent; false when the agent has none. */
    toAgent(agent: string, frame: object): boolean {
      const open = [...presence.connectionsOf(agent)].filter((conn) => conn.isOpen && conn.identity !== undefined);
      if (open.length === 0) return false;
      const index = (turn.get(agent) ?? 0) % open.length;
      turn.set(agent, index + 1);
      return (open[index] as Connection).sendFrame(frame);
    },
    /** Sends a frame to every connection of an agent (a cancel or revoke must reach whichever one works on it). */
    toAllOf(agent: string, frame: object): void {
      const data = JSON.stringify(frame);
      for (const conn of presence.connectionsOf(agent)) conn.send(data);
    },
    watch(conn: Connection, on: boolean): void {
      if (on) watchers.add(conn);
      else watchers.delete(conn);
    },
    forget(conn: Connection): void {
      watchers.delete(conn);
    },
  };
}
