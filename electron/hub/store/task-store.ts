/** Tasks and their attempts in SQLite: one row per task, saved whole after each transition, by prepared statements. */
import type { TaskAttempt, TaskRecord, TaskState } from '../../../shared/index.js';
import type { Db } from './database.js';

/** The task times: ISO strings in a {@link TaskRecord}, epoch ms in a {@link Task}. */
type TaskTime = 'lease_until' | 'run_at' | 'created_at' | 'updated_at' | 'finished_at';

/** A task as the hub works with it: times as epoch ms, JSON fields parsed; otherwise field for field a {@link TaskRecord}. */
export type Task = Omit<TaskRecord, TaskTime> & { [K in TaskTime]: null extends TaskRecord[K] ? number | null : number };

interface TaskRow extends Omit<Task, 'from' | 'to' | 'payload' | 'result' | 'progress'> {
  from_agent: string;
  to_target: string;
  payload: string | null;
  result: string | null;
  progress: string | null;
}

interface AttemptRow {
  task_id: string;
  attempt: number;
  agent: string;
  assigned_at: number;
  accepted_at: number | null;
  ended_at: number | null;
  outcome: string;
  detail: string | null;
}

const json = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));
const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function fromRow(row: TaskRow): Task {
  const { from_agent, to_target, payload, result, progress, ...rest } = row;
  return { ...rest, from: from_agent, to: to_target, payload: parse(payload), result: parse(result), progress: parse(progress) };
}

function toParams(task: Task): Record<string, unknown> {
  const { from, to, payload, result, progress, ...rest } = task;
  return { ...rest, from_agent: from, to_target: to, payload: json(payload), result: json(result), progress: json(progress) };
}

/** The public shape: ISO times, for frames, HTTP and the GUI. */
export function taskRecord(task: Task): TaskRecord {
  return {
    ...task,
    lease_until: iso(task.lease_until),
    run_at: new Date(task.run_at).toISOString(),
    created_at: new Date(task.created_at).toISOString(),
    updated_at: new Date(task.updated_at).toISOString(),
    finished_at: iso(task.finished_at),
  };
}

export interface TaskFilter {
  state?: TaskState | undefined;
  from?: string | undefined;
  to?: string | undefined;
  cmd?: string | undefined;
  limit: number;
  /** Only the tasks this agent may see (task-visibility); undefined: every task. */
  visibleTo?: VisibleTo | undefined;
}

/** An agent and the roles it declared, for the SQL form of the visibility rule. */
export interface VisibleTo {
  agent: string;
  roles: readonly string[];
}

/**
 * The visibility rule (relay/task-visibility.ts) in SQL, for lists and counts: sent, addressed to the agent
 * or a role it declared, held, or offered to it once.
 */
const VISIBLE = `(from_agent = @viewer OR to_target = @viewer OR assigned_to = @viewer OR to_target IN (SELECT value FROM json_each(@roles))
  OR EXISTS (SELECT 1 FROM task_attempts a WHERE a.task_id = tasks.task_id AND a.agent = @viewer))`;

export type TaskStore = ReturnType<typeof createTaskStore>;

export function createTaskStore(db: Db) {
  const columns =
    'task_id, from_agent, to_target, type, cmd, payload, text, priority, state, assigned_to, lease_until, run_at, timeout_ms, attempts, offers, max_attempts, idempotency_key, callback_url, result, error, question, progress, retry_of, in_reply_to, created_at, updated_at, finished_at';
  const insert = db.prepare(
    `INSERT INTO tasks (${columns}) VALUES (${columns
      .split(', ')
      .map((c) => `@${c}`)
      .join(', ')})`,
  );
  const save = db.prepare(
    `UPDATE tasks SET state = @state, assigned_to = @assigned_to, lease_until = @lease_until, run_at = @run_at, attempts = @attempts, offers = @offers,
       result = @result, error = @error, question = @question, progress = @progress, updated_at = @updated_at, finished_at = @finished_at
     WHERE task_id = @task_id`,
  );
  const byId = db.prepare<[string], TaskRow>('SELECT * FROM tasks WHERE task_id = ?');
  const byKey = db.prepare<[string, string], TaskRow>('SELECT * FROM tasks WHERE from_agent = ? AND idempotency_key = ?');
  // `LIMIT +?`, not `LIMIT ?`: SQLite re-plans a statement whose LIMIT is a bare parameter on every run
  // (measured 10× slower); the unary plus makes it an expression. Every store writes its limits so.
  const due = db.prepare<[number, string, number], TaskRow>(
    `SELECT * FROM tasks WHERE state = 'submitted' AND assigned_to IS NULL AND run_at <= ? AND to_target IN (SELECT value FROM json_each(?))
       ORDER BY priority DESC, run_at LIMIT +?`,
  );
  const anyDue = db.prepare<[number], { t: number }>("SELECT 1 AS t FROM tasks WHERE state = 'submitted' AND assigned_to IS NULL AND run_at <= ? LIMIT 1");
  const expired = db.prepare<[number], TaskRow>('SELECT * FROM tasks WHERE lease_until IS NOT NULL AND lease_until <= ? ORDER BY lease_until');
  const nextRunAt = db.prepare<[number], { t: number | null }>(
    "SELECT min(run_at) AS t FROM tasks WHERE state = 'submitted' AND assigned_to IS NULL AND run_at > ?",
  );
  const nextLease = db.prepare<[], { t: number | null }>('SELECT min(lease_until) AS t FROM tasks WHERE lease_until IS NOT NULL');
  const held = db.prepare<[], { agent: string; n: number }>(
    "SELECT assigned_to AS agent, count(*) AS n FROM tasks WHERE assigned_to IS NOT NULL AND state IN ('submitted', 'working', 'input-required') GROUP BY assigned_to",
  );
  const heldBy = db.prepare<[string], TaskRow>("SELECT * FROM tasks WHERE assigned_to = ? AND state IN ('submitted', 'working', 'input-required')");
  // Named parameters: better-sqlite3 refuses positional values for numbered ones (?1), so each filter is bound by name.
  type ListParams = { state: string | null; from: string | null; to: string | null; cmd: string | null; limit: number };
  const filters = `(@state IS NULL OR state = @state) AND (@from IS NULL OR from_agent = @from) AND (@to IS NULL OR to_target = @to OR assigned_to = @to)
       AND (@cmd IS NULL OR cmd = @cmd)`;
  const list = db.prepare<[ListParams], TaskRow>(`SELECT * FROM tasks WHERE ${filters} ORDER BY updated_at DESC LIMIT +@limit`);
  const listVisible = db.prepare<[ListParams & { viewer: string; roles: string }], TaskRow>(
    `SELECT * FROM tasks WHERE ${filters} AND ${VISIBLE} ORDER BY updated_at DESC LIMIT +@limit`,
  );
  const countByState = db.prepare<[], { state: TaskState; n: number }>('SELECT state, count(*) AS n FROM tasks GROUP BY state');
  const countVisibleByState = db.prepare<[{ viewer: string; roles: string }], { state: TaskState; n: number }>(
    `SELECT state, count(*) AS n FROM tasks WHERE ${VISIBLE} GROUP BY state`,
  );
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM tasks');
  const insertAttempt = db.prepare<[string, number, string, number]>(
    "INSERT INTO task_attempts (task_id, attempt, agent, assigned_at, outcome) VALUES (?, ?, ?, ?, 'offered')",
  );
  const updateAttempt = db.prepare<{
    task_id: string;
    attempt: number;
    outcome: string;
    detail: string | null;
    accepted_at: number | null;
    ended_at: number | null;
  }>(
    `UPDATE task_attempts SET outcome = @outcome, detail = coalesce(@detail, detail), accepted_at = coalesce(@accepted_at, accepted_at),
       ended_at = coalesce(@ended_at, ended_at) WHERE task_id = @task_id AND attempt = @attempt`,
  );
  const attempts = db.prepare<[string], AttemptRow>('SELECT * FROM task_attempts WHERE task_id = ? ORDER BY attempt');

  return {
    insert(task: Task): void {
      insert.run(toParams(task));
    },
    save(task: Task): void {
      save.run(toParams(task));
    },
    get(taskId: string): Task | undefined {
      const row = byId.get(taskId);
      return row === undefined ? undefined : fromRow(row);
    },
    byIdempotencyKey(from: string, key: string): Task | undefined {
      const row = byKey.get(from, key);
      return row === undefined ? undefined : fromRow(row);
    },
    /** Queued tasks due at `now` and sent to one of `targets` (agents, roles, capabilities), highest priority first, then oldest. */
    /** Is any task waiting to be offered at `now`, whoever it is for? (One index probe.) */
    anyDue(now: number): boolean {
      return anyDue.get(now) !== undefined;
    },
    due(now: number, targets: string[], limit: number): Task[] {
      return due.all(now, JSON.stringify(targets), limit).map(fromRow);
    },
    /** Tasks whose offer or attempt ran out at `now`. */
    expired(now: number): Task[] {
      return expired.all(now).map(fromRow);
    },
    /** The next time something becomes due after `now` (a delayed or backed-off task, or a lease), if any. */
    nextWake(now: number): number | undefined {
      const times = [nextRunAt.get(now)?.t, nextLease.get()?.t].filter((t): t is number => typeof t === 'number');
      return times.length === 0 ? undefined : Math.min(...times);
    },
    /** How many unfinished tasks each agent holds. */
    heldCounts(): Map<string, number> {
      return new Map(held.all().map((row) => [row.agent, row.n]));
    },
    heldBy(agent: string): Task[] {
      return heldBy.all(agent).map(fromRow);
    },
    list(filter: TaskFilter): Task[] {
      const params = { state: filter.state ?? null, from: filter.from ?? null, to: filter.to ?? null, cmd: filter.cmd ?? null, limit: filter.limit };
      const { visibleTo } = filter;
      const rows = visibleTo === undefined ? list.all(params) : listVisible.all({ ...params, viewer: visibleTo.agent, roles: JSON.stringify(visibleTo.roles) });
      return rows.map(fromRow);
    },
    /** Tasks per state: all of them, or those `visibleTo` may see. */
    countByState(visibleTo?: VisibleTo): Record<string, number> {
      const rows = visibleTo === undefined ? countByState.all() : countVisibleByState.all({ viewer: visibleTo.agent, roles: JSON.stringify(visibleTo.roles) });
      return Object.fromEntries(rows.map((row) => [row.state, row.n]));
    },
    count(): number {
      return count.get()?.n ?? 0;
    },
    /** Records offer number `attempt` (the task's `offers`). */
    startAttempt(taskId: string, attempt: number, agent: string, now: number): void {
      insertAttempt.run(taskId, attempt, agent, now);
    },
    endAttempt(taskId: string, attempt: number, fields: { outcome: string; detail?: string | null; accepted_at?: number; ended_at?: number }): void {
      updateAttempt.run({
        task_id: taskId,
        attempt,
        outcome: fields.outcome,
        detail: fields.detail ?? null,
        accepted_at: fields.accepted_at ?? null,
        ended_at: fields.ended_at ?? null,
      });
    },
    attempts(taskId: string): TaskAttempt[] {
      return attempts.all(taskId).map((row) => ({
        attempt: row.attempt,
        agent: row.agent,
        assigned_at: new Date(row.assigned_at).toISOString(),
        accepted_at: iso(row.accepted_at),
        ended_at: iso(row.ended_at),
        outcome: row.outcome,
        detail: row.detail,
      }));
    },
  };
}
