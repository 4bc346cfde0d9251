/**
 * A task's whole story, oldest first: the message it came from, its creation, every offer with its outcome,
 * progress, questions and answers, the result, each callback attempt, the alerts it counted in, the tasks it
 * retried and that retried it, and the messages posted about it. Read from the tables that hold each part
 * (events by subject, attempts, tasks by `retry_of`, messages by `task_id`), each through an index.
 */
import {
  plural,
  type LineageEntry,
  type LineageKind,
  type LineageSource,
  type TaskAttempt,
  type TaskLineageResponse,
  type TaskState,
} from '../../../shared/index.js';
import type { TaskCaller, TaskReader } from '../relay/task-reader.js';
import type { Db } from '../store/database.js';
import type { EventRow } from '../store/event-store.js';
import { rowToMessage, type MessageRow, type MessageStore } from '../store/message-store.js';
import { taskRecord, type Task, type TaskStore } from '../store/task-store.js';
import type { MessageReadable } from './message-visibility.js';

/** Entries in one answer at most; a longer story says `truncated` and keeps its beginning. */
export const MAX_LINEAGE_ENTRIES = 500;
/** Events, retries and messages read per task at most. */
const MAX_ROWS = 1000;
/** Characters of a message, answer or progress kept in a summary. */
const SUMMARY_CHARS = 120;

export type TaskLineage = ReturnType<typeof createTaskLineage>;

/** The entry that ends the story of a task in each final state. */
const ENDS: Partial<Record<TaskState, LineageKind>> = { completed: 'completed', failed: 'failed', rejected: 'rejected', canceled: 'canceled' };

interface Ranked extends LineageEntry {
  /** Orders entries of the same millisecond: what led to the task, then its creation, then the rest as read. */
  rank: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** A text cut to one short line. */
function shorten(text: string, max = SUMMARY_CHARS): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

const textOf = (value: unknown): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));

export function createTaskLineage(deps: { db: Db; tasks: TaskStore; reader: TaskReader; messages: MessageStore; mayRead: MessageReadable }) {
  const { tasks, reader } = deps;
  // Task events (`task.*`) and callback events (`callback_*`) carry the task id as their subject.
  const events = deps.db.prepare<[string, number], EventRow>(
    "SELECT * FROM events WHERE subject = ? AND (kind LIKE 'task.%' OR kind LIKE 'callback\\_%' ESCAPE '\\') ORDER BY id LIMIT +?",
  );
  const retries = deps.db.prepare<[string, number], { task_id: string }>('SELECT task_id FROM tasks WHERE retry_of = ? ORDER BY created_at LIMIT +?');
  const about = deps.db.prepare<[string, number], MessageRow>('SELECT * FROM messages WHERE task_id = ? ORDER BY seq LIMIT +?');

  /** The entry an audit event stands for, or undefined for one the story leaves out. */
  const fromEvent = (row: EventRow, task: Task, attempts: ReadonlyMap<number, TaskAttempt>, caller: TaskCaller): Ranked | undefined => {
    const detail: Record<string, unknown> = row.detail === null ? {} : (JSON.parse(row.detail) as Record<string, unknown>);
    const str = (key: string): string | undefined => (typeof detail[key] === 'string' ? detail[key] : undefined);
    const num = (key: string): number | undefined => (typeof detail[key] === 'number' ? detail[key] : undefined);
    const entry = (kind: LineageKind, actor: string | null, summary: string, extra: Record<string, unknown> = {}, source?: LineageSource): Ranked => ({
      ts: iso(row.ts),
      kind,
      actor,
      summary,
      source: source ?? { type: 'audit', id: row.id },
      detail: extra,
      rank: kind === 'created' ? 1 : 3,
    });
    const actor = row.actor;
    switch (row.kind) {
      case 'task.created':
        return entry('created', actor, `sent by ${actor ?? task.from} to ${task.to}: ${task.cmd}`, {
          to: str('to') ?? task.to,
          cmd: task.cmd,
          priority: task.priority,
        });
      case 'task.assigned': {
        const number = num('attempt');
        const agent = str('agent') ?? null;
        const attempt = number === undefined ? undefined : attempts.get(number);
        const outcome = attempt === undefined ? undefined : attempt.outcome;
        const ended = attempt?.detail === null || attempt?.detail === undefined ? '' : `: ${attempt.detail}`;
        return entry(
          'offered',
          agent,
          `offered to ${agent ?? 'an agent'}${number === undefined ? '' : ` (attempt ${number})`}${outcome === undefined ? '' : ` → ${outcome}${ended}`}`,
          {
            attempt: number ?? null,
            outcome: outcome ?? null,
            outcome_detail: attempt?.detail ?? null,
            accepted_at: attempt?.accepted_at ?? null,
            ended_at: attempt?.ended_at ?? null,
          },
        );
      }
      case 'task.accepted':
        return entry('accepted', actor, `accepted by ${actor ?? 'the agent'}`);
      case 'task.rejected':
        return entry('rejected', actor, `rejected by ${actor ?? 'the agent'}${str('error') === undefined ? '' : `: ${str('error')}`}`, {
          reason: str('error') ?? null,
        });
      case 'task.requeued':
        return entry('requeued', actor, `back in the queue: ${str('reason') ?? 'the attempt ended'}`, {
          agent: str('agent') ?? null,
          reason: str('reason') ?? null,
        });
      case 'task.progress': {
        const said = str('message') ?? (detail['progress'] === undefined ? undefined : textOf(detail['progress']));
        return entry('progress', actor, `progress${said === undefined ? '' : `: ${shorten(said)}`}`, {
          ...(detail['progress'] === undefined ? {} : { progress: detail['progress'] }),
          ...(str('message') === undefined ? {} : { message: str('message') }),
        });
      }
      case 'task.input_required':
        return entry('question', actor, `asked: ${shorten(str('question') ?? '')}`, { question: str('question') ?? null });
      case 'task.answered':
        return entry('answer', actor, `answered by ${actor ?? 'the sender'}${detail['answer'] === undefined ? '' : `: ${shorten(textOf(detail['answer']))}`}`, {
          answer: detail['answer'] ?? null,
        });
      case 'task.completed':
        return entry('completed', actor, `completed by ${actor ?? 'the agent'}`, { result: task.state === 'completed' ? task.result : null });
      case 'task.failed': {
        // The dispatcher's event keeps the reason of the last attempt; the task's error says the whole of it.
        const error = str('error') ?? (task.state === 'failed' ? task.error : null) ?? str('reason') ?? 'no reason';
        return entry('failed', actor, `failed${actor === null ? '' : ` (${actor})`}: ${error}`, { error });
      }
      case 'task.canceled':
        return entry('canceled', actor, `canceled by ${actor ?? 'the sender'}${str('error') === undefined ? '' : `: ${str('error')}`}`, {
          reason: str('error') ?? null,
        });
      case 'task.alerted': {
        // Alerts are the person's: an agent's token reads none.
        const alert = num('alert');
        if (!caller.admin || alert === undefined) return undefined;
        const fields = { alert, rule: str('rule') ?? null, level: str('level') ?? null, message: str('message') ?? null };
        return entry('alert', null, `alert ${fields.rule ?? ''} (${fields.level ?? 'warning'}): ${fields.message ?? ''}`, fields, { type: 'alert', id: alert });
      }
      case 'callback_retrying':
      case 'callback_delivered':
      case 'callback_failed':
      case 'callback_refused': {
        const attempt = num('attempts') ?? null;
        const host = str('host') ?? 'its URL';
        const status = num('status') ?? null;
        const error = str('error') ?? null;
        const outcome = row.kind.slice('callback_'.length);
        const answer =
          outcome === 'delivered'
            ? `delivered (HTTP ${status ?? '2xx'})`
            : outcome === 'retrying'
              ? `${error ?? 'failed'}; will retry`
              : outcome === 'failed'
                ? `${error ?? 'failed'}; gave up after ${plural(attempt ?? 0, 'attempt')}`
                : `refused: ${error ?? 'not allowed'}`;
        return entry('callback', null, `callback attempt ${attempt ?? '?'} to ${host}: ${answer}`, { attempt, outcome, host, http_status: status, error });
      }
      default:
        // Retries are read from the tasks themselves (see below), which outlive the audit trail.
        return undefined;
    }
  };

  return {
    /** The story of a task the caller may see (SB_ERR_NOT_FOUND otherwise, as for the task itself). */
    lineage(caller: TaskCaller, taskId: string): TaskLineageResponse {
      const task = reader.get(caller, taskId);
      const attempts = new Map(tasks.attempts(task.task_id).map((a) => [a.attempt, a]));
      const entries: Ranked[] = [];
      let truncated = false;

      if (task.in_reply_to !== null) {
        const message = deps.messages.get(task.in_reply_to);
        if (message !== undefined && deps.mayRead(caller, message.conversation_id)) {
          entries.push({
            ts: message.created_at,
            kind: 'origin',
            actor: message.sender,
            summary: `came from ${message.sender}'s message in ${message.conversation_id}: ${shorten(message.content)}`,
            source: { type: 'message', seq: message.seq, conversation_id: message.conversation_id },
            detail: { content: message.content, message_type: message.message_type },
            rank: 0,
          });
        }
      }

      const rows = events.all(task.task_id, MAX_ROWS + 1);
      if (rows.length > MAX_ROWS) truncated = true;
      const seen = new Set<string>();
      const offered = new Set<number>();
      for (const row of rows.slice(0, MAX_ROWS)) {
        const entry = fromEvent(row, task, attempts, caller);
        if (entry === undefined) continue;
        entries.push(entry);
        seen.add(entry.kind);
        if (entry.kind === 'offered' && typeof entry.detail['attempt'] === 'number') offered.add(entry.detail['attempt']);
      }

      // Older events may have gone with the audit trail's retention: what the task's own rows still say stands in.
      const fromTask: LineageSource = { type: 'task', task_id: task.task_id };
      if (!seen.has('created')) {
        entries.push({
          ts: iso(task.created_at),
          kind: 'created',
          actor: task.from,
          summary: `sent by ${task.from} to ${task.to}: ${task.cmd}`,
          source: fromTask,
          detail: {},
          rank: 1,
        });
      }
      for (const attempt of attempts.values()) {
        if (offered.has(attempt.attempt)) continue;
        entries.push({
          ts: attempt.assigned_at,
          kind: 'offered',
          actor: attempt.agent,
          summary: `offered to ${attempt.agent} (attempt ${attempt.attempt}) → ${attempt.outcome}`,
          source: fromTask,
          detail: {
            attempt: attempt.attempt,
            outcome: attempt.outcome,
            outcome_detail: attempt.detail,
            accepted_at: attempt.accepted_at,
            ended_at: attempt.ended_at,
          },
          rank: 3,
        });
      }
      const end = ENDS[task.state];
      if (task.finished_at !== null && end !== undefined && !seen.has(end)) {
        entries.push({
          ts: iso(task.finished_at),
          kind: end,
          actor: task.assigned_to,
          summary: `${task.state}${task.error === null ? '' : `: ${task.error}`}`,
          source: fromTask,
          detail: {},
          rank: 3,
        });
      }

      if (task.retry_of !== null) {
        const earlier = tasks.get(task.retry_of);
        if (earlier === undefined || reader.maySee(caller, earlier)) {
          entries.push({
            ts: iso(task.created_at),
            kind: 'retry_of',
            actor: task.from,
            summary: `a retry of ${task.retry_of}${earlier === undefined ? '' : ` (${earlier.state}${earlier.to === task.to ? '' : `, sent to ${earlier.to}`})`}`,
            source: { type: 'task', task_id: task.retry_of },
            detail: earlier === undefined ? {} : { state: earlier.state, to: earlier.to },
            rank: 2,
          });
        }
      }

      const later = retries.all(task.task_id, MAX_ROWS + 1);
      if (later.length > MAX_ROWS) truncated = true;
      for (const { task_id } of later.slice(0, MAX_ROWS)) {
        const retry = tasks.get(task_id);
        if (retry === undefined || !reader.maySee(caller, retry)) continue;
        const redriven = retry.to !== task.to;
        entries.push({
          ts: iso(retry.created_at),
          kind: 'retried',
          actor: retry.from,
          summary: `${redriven ? `redriven to ${retry.to}` : 'retried'} as ${retry.task_id} (${retry.state})`,
          source: { type: 'task', task_id: retry.task_id },
          detail: { state: retry.state, to: retry.to },
          rank: 3,
        });
      }

      const posted = about.all(task.task_id, MAX_ROWS + 1);
      if (posted.length > MAX_ROWS) truncated = true;
      for (const row of posted.slice(0, MAX_ROWS)) {
        if (!deps.mayRead(caller, row.conversation_id)) continue;
        const message = rowToMessage(row);
        entries.push({
          ts: message.created_at,
          kind: 'message',
          actor: message.sender,
          summary: `${message.sender} in ${message.conversation_id}: ${shorten(message.content)}`,
          source: { type: 'message', seq: message.seq, conversation_id: message.conversation_id },
          detail: { content: message.content, message_type: message.message_type },
          rank: 3,
        });
      }

      // ISO times of one format sort as text; the sort is stable, so entries of one millisecond keep the order they were read in.
      entries.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.rank - b.rank));
      if (entries.length > MAX_LINEAGE_ENTRIES) truncated = true;
      const kept = entries.slice(0, MAX_LINEAGE_ENTRIES).map(({ ts, kind, actor, summary, source, detail }) => ({ ts, kind, actor, summary, source, detail }));
      return { status: 'ok', task: taskRecord(task), entries: kept, truncated };
    },
  };
}
