/**
 * Pushes task changes: `task_updated` to the master's connections and to watchers that may see the task,
 * and frames to the child holding a task.
 */
import type { Connection } from '../ws/connection.js';
import type { Presence } from '../messaging/presence.js';
import { taskRecord, type Task } from '../store/task-store.js';
import type { TaskCaller } from './task-reader.js';

export type TaskNotifier = ReturnType<typeof createTaskNotifier>;

/** Agents on other federated hubs: frames for them travel through the federation instead of a socket. */
export interface RemoteAgents {
  /** Agents online on other hubs, by `agent@hub`, with what the dispatcher matches a task's `to` against. */
  online(): ReadonlyMap<string, RemoteProfile>;
  /** Whether a name (`agent@hub`) is an agent of another hub. */
  owns(agent: string): boolean;
  /** Sends a frame to an agent of another hub; false when it cannot go now. */
  send(agent: string, frame: object): boolean;
}

export interface RemoteProfile {
  /** The agent's name on its own hub: a task sent to that name may go to it. */
  id: string;
  kind: string | null;
  capabilities: string[];
}

export const noRemoteAgents: RemoteAgents = { online: () => new Map(), owns: () => false, send: () => false };

export function createTaskNotifier(presence: Presence, maySee: (caller: TaskCaller, task: Task) => boolean, remote: RemoteAgents = noRemoteAgents) {
  const watchers = new Set<Connection>();
  const listeners = new Set<(task: Task, event: string) => void>();
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
      for (const listener of listeners) listener(task, event);
    },
    /** Told of every change `changed` pushes (the federation forwards those of tasks from other hubs). */
    onChanged(listener: (task: Task, event: string) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Sends a frame to one open connection of an agent; false when the agent has none. */
    toAgent(agent: string, frame: object): boolean {
      if (remote.owns(agent)) return remote.send(agent, frame);
      const open = [...presence.connectionsOf(agent)].filter((conn) => conn.isOpen && conn.identity !== undefined);
      if (open.length === 0) return false;
      const index = (turn.get(agent) ?? 0) % open.length;
      turn.set(agent, index + 1);
      return (open[index] as Connection).sendFrame(frame);
    },
    /** Sends a frame to every connection of an agent (a cancel or revoke must reach whichever one works on it). */
    toAllOf(agent: string, frame: object): void {
      if (remote.owns(agent)) {
        remote.send(agent, frame);
        return;
      }
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
