/**
 * Tasks across hubs. A task no agent here matches is offered to a matching agent online on another hub
 * (`agent@hub`): the relay's frames for that agent travel on JetStream to that hub, which makes the task
 * its own (from `master@hub`, one local task per remote task thanks to an idempotency key), runs the usual
 * offer, lease and retry cycle with its agent, and sends each change back; here the changes are applied as
 * that agent's own accept, progress, question and result, so the master, its callback and the dashboard see
 * a task like any other. Every message is acknowledged to JetStream only after it was applied; a repeat
 * (redelivery, a second offer of the same task) changes nothing, and a result for a finished task is a
 * harmless repeat: the master's task completes once.
 */
import type { JsMsg } from '@nats-io/jetstream';
import type { Relay } from '../relay/relay.js';
import type { RemoteProfile } from '../relay/task-notifier.js';
import type { Task } from '../store/task-store.js';
import { taskRecord } from '../store/task-store.js';
import { z } from 'zod';
import { isTerminal, newTaskFields, SwitchboardError, type AgentInfo, type NewTask, type TaskRecord } from '../../../shared/index.js';

const newTask = z.object(newTaskFields);

export const TASK_SUBJECT_PREFIX = 'switchboard.tasks';
export const taskSubjectOf = (hubId: string): string => `${TASK_SUBJECT_PREFIX}.${hubId}`;

/** What travels between hubs about one task. */
type TaskMessage =
  /** To the worker's hub: a frame the relay sent to one of its agents (offer, answer, cancel, revoke), and the task's master. */
  | { kind: 'frame'; from_hub: string; agent: string; master: string; frame: Record<string, unknown> }
  /** To the master's hub: a change of the worker hub's copy, for the task `task_id` there. */
  | { kind: 'change'; from_hub: string; agent: string; task_id: string; event: string; task: TaskRecord };

const IDEMPOTENCY_PREFIX = 'federated';

/** `agent@hub` for an agent of another hub. */
const remoteName = (agent: string, hub: string): string => `${agent}@${hub}`;

function splitRemote(name: string): { agent: string; hub: string } | undefined {
  const at = name.lastIndexOf('@');
  return at <= 0 ? undefined : { agent: name.slice(0, at), hub: name.slice(at + 1) };
}

export interface TaskBridge {
  remoteProfiles(): ReadonlyMap<string, RemoteProfile>;
  ownsAgent(name: string): boolean;
  sendToAgent(name: string, frame: object): boolean;
  /** Handles a message from this hub's task subject; acks or naks it. */
  receive(message: JsMsg): void;
  close(): void;
}

export function createTaskBridge(deps: {
  hubId: string;
  relay: Pick<Relay, 'service' | 'notifier' | 'tasks'>;
  remoteAgents: () => AgentInfo[];
  publish: (subject: string, data: string) => Promise<void>;
  failed: (what: string, error: unknown) => void;
}): TaskBridge {
  const { hubId, relay } = deps;
  /** Hubs seen in presence or in task messages: `x@hub` names an agent there only for these. */
  const knownHubs = new Set<string>();

  const send = (hub: string, message: TaskMessage): void => {
    deps.publish(taskSubjectOf(hub), JSON.stringify(message)).catch((error: unknown) => deps.failed(`could not send a task message to hub "${hub}"`, error));
  };

  /** The master's hub and task id of a task this hub runs for another one. */
  const originOf = (task: Task): { hub: string; taskId: string } | undefined => {
    const master = splitRemote(task.from);
    const key = task.idempotency_key;
    if (master === undefined || key === null || !key.startsWith(`${IDEMPOTENCY_PREFIX}:${master.hub}:`)) return undefined;
    return { hub: master.hub, taskId: key.slice(`${IDEMPOTENCY_PREFIX}:${master.hub}:`.length) };
  };

  // Worker side: every change of a task run for another hub goes back to it.
  const stopForwarding = relay.notifier.onChanged((task, event) => {
    const origin = originOf(task);
    if (origin === undefined) return;
    send(origin.hub, { kind: 'change', from_hub: hubId, agent: task.to, task_id: origin.taskId, event, task: taskRecord(task) });
  });

  /** Worker side: the master's hub offered a task to one of our agents, answered its question or canceled it. */
  const applyFrame = async (message: Extract<TaskMessage, { kind: 'frame' }>): Promise<void> => {
    const { frame, from_hub: fromHub } = message;
    const master = remoteName(message.master, fromHub);
    if (frame['type'] === 'task_assigned') {
      const task = frame['task'] as TaskRecord;
      // Another machine's word: checked like a task_send before it becomes a task here.
      const parsed = newTask.safeParse({
        to: message.agent,
        type: task.type,
        cmd: task.cmd,
        payload: task.payload ?? undefined,
        text: task.text ?? undefined,
        priority: task.priority,
        timeout_ms: task.timeout_ms,
        max_attempts: task.max_attempts,
        idempotency_key: `${IDEMPOTENCY_PREFIX}:${fromHub}:${task.task_id}`,
      });
      if (!parsed.success) {
        deps.failed(`refused a task offered by hub "${fromHub}"`, parsed.error.issues[0]?.message);
        return;
      }
      const copy: NewTask = parsed.data;
      const { task: made, changed } = await relay.service.create(master, copy);
      // Offered again (the master's lease ran out before it heard back): tell it where the copy stands.
      if (!changed && (made.state === 'working' || isTerminal(made.state))) {
        send(fromHub, {
          kind: 'change',
          from_hub: hubId,
          agent: made.to,
          task_id: task.task_id,
          event: made.state === 'working' ? 'accepted' : made.state,
          task: taskRecord(made),
        });
      }
      return;
    }
    const copy = relay.tasks.byIdempotencyKey(master, `${IDEMPOTENCY_PREFIX}:${fromHub}:${String(frame['task_id'])}`);
    if (copy === undefined) return;
    const owner = { agent: copy.from, admin: false };
    if (frame['type'] === 'task_input') await relay.service.answer(owner, copy.task_id, frame['answer']);
    // A revoke (the master's lease on this hub's agent ran out) leaves the copy running: the master offers the
    // task again, and this hub answers with where its copy stands.
    else if (frame['type'] === 'task_canceled') await relay.service.cancel(owner, copy.task_id, frame['reason'] as string | undefined);
  };

  /** Master side: the worker hub's copy changed; apply it as that agent's own step. */
  const applyChange = async (message: Extract<TaskMessage, { kind: 'change' }>): Promise<void> => {
    const actor = { agent: remoteName(message.agent, message.from_hub), admin: false };
    const { task } = message;
    try {
      // Offered again after a lease ran out, the task waits for an accept the other hub gave long ago.
      const current = relay.tasks.get(message.task_id);
      const offered = current?.state === 'submitted' && current.assigned_to === actor.agent;
      if (offered && message.event !== 'accepted' && message.event !== 'rejected') await relay.service.accept(actor, message.task_id);
      if (message.event === 'accepted') await relay.service.accept(actor, message.task_id);
      else if (message.event === 'progress') await relay.service.progress(actor, message.task_id, task.progress, undefined);
      else if (message.event === 'input_required') await relay.service.ask(actor, message.task_id, task.question ?? '');
      else if (message.event === 'rejected') await relay.service.reject(actor, message.task_id, task.error ?? undefined);
      else if (message.event === 'completed' || message.event === 'failed')
        await relay.service.result(actor, message.task_id, message.event, task.result, task.error ?? undefined);
    } catch (error) {
      // A change that no longer applies (the lease ran out and the task moved on) is dropped, not retried.
      if (!(error instanceof SwitchboardError)) throw error;
    }
  };

  return {
    remoteProfiles() {
      const profiles = new Map<string, RemoteProfile>();
      for (const agent of deps.remoteAgents()) {
        if (agent.hub === undefined) continue;
        knownHubs.add(agent.hub);
        profiles.set(remoteName(agent.id, agent.hub), { id: agent.id, kind: agent.kind, capabilities: agent.capabilities });
      }
      return profiles;
    },
    ownsAgent(name) {
      const remote = splitRemote(name);
      if (remote === undefined || remote.hub === hubId) return false;
      if (!knownHubs.has(remote.hub)) for (const agent of deps.remoteAgents()) if (agent.hub !== undefined) knownHubs.add(agent.hub);
      return knownHubs.has(remote.hub);
    },
    sendToAgent(name, frame) {
      const remote = splitRemote(name);
      if (remote === undefined) return false;
      const fields = frame as Record<string, unknown>;
      const taskId = typeof fields['task_id'] === 'string' ? fields['task_id'] : (fields['task'] as TaskRecord | undefined)?.task_id;
      const master = taskId === undefined ? undefined : relay.tasks.get(taskId)?.from;
      if (master === undefined) return false;
      send(remote.hub, { kind: 'frame', from_hub: hubId, agent: remote.agent, master, frame: fields });
      return true;
    },
    receive(message) {
      let parsed: TaskMessage;
      try {
        parsed = message.json<TaskMessage>();
      } catch {
        message.term();
        return;
      }
      knownHubs.add(parsed.from_hub);
      (parsed.kind === 'frame' ? applyFrame(parsed) : applyChange(parsed)).then(
        () => message.ack(),
        (error: unknown) => {
          deps.failed('could not apply a task message from another hub', error);
          message.nak(1000);
        },
      );
    },
    close: () => void stopForwarding(),
  };
}
