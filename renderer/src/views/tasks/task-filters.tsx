/** The task table's filters: state (with the hub's counts), who sent it, who it is for or with, the command, and how many rows. */
import { useId } from 'react';
import { TASK_STATES, type TaskState } from '../../../../shared/index.js';
import { formatCount } from '../../components/format.js';

/** What the person typed; blank means any. */
export interface FilterDraft {
  state: TaskState | '';
  from: string;
  to: string;
  cmd: string;
}

export const EMPTY_DRAFT: FilterDraft = { state: '', from: '', to: '', cmd: '' };

export const LIMITS = [100, 200, 500, 1000] as const;

interface TaskFiltersProps {
  draft: FilterDraft;
  onDraft(next: FilterDraft): void;
  counts: Partial<Record<TaskState, number>>;
  agentIds: readonly string[];
  cmds: readonly string[];
  limit: number;
  onLimit(limit: number): void;
}

export function TaskFilters({ draft, onDraft, counts, agentIds, cmds, limit, onLimit }: TaskFiltersProps) {
  const id = useId();
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const isBlank = draft.state === '' && draft.from === '' && draft.to === '' && draft.cmd === '';
  return (
    <form className="toolbar task-filters" role="search" aria-label="Filter tasks" onSubmit={(event) => event.preventDefault()}>
      <label>
        State{' '}
        <select value={draft.state} onChange={(event) => onDraft({ ...draft, state: event.target.value as TaskState | '' })}>
          <option value="">any ({formatCount(total)})</option>
          {TASK_STATES.map((state) => (
            <option key={state} value={state}>
              {state} ({formatCount(counts[state] ?? 0)})
            </option>
          ))}
        </select>
      </label>
      <label>
        From{' '}
        <input
          type="search"
          list={`${id}-agents`}
          value={draft.from}
          placeholder="any agent"
          size={12}
          onChange={(event) => onDraft({ ...draft, from: event.target.value })}
        />
      </label>
      <label title="The agent or role the task is for, or the agent holding it">
        To / assigned{' '}
        <input
          type="search"
          list={`${id}-agents`}
          value={draft.to}
          placeholder="any agent"
          size={12}
          onChange={(event) => onDraft({ ...draft, to: event.target.value })}
        />
      </label>
      <label>
        Command{' '}
        <input
          type="search"
          list={`${id}-cmds`}
          value={draft.cmd}
          placeholder="any"
          size={12}
          onChange={(event) => onDraft({ ...draft, cmd: event.target.value })}
        />
      </label>
      <label>
        Show{' '}
        <select value={limit} onChange={(event) => onLimit(Number(event.target.value))}>
          {LIMITS.map((n) => (
            <option key={n} value={n}>
              {n} latest
            </option>
          ))}
        </select>
      </label>
      <button type="button" disabled={isBlank} onClick={() => onDraft(EMPTY_DRAFT)}>
        Clear filters
      </button>
      <datalist id={`${id}-agents`}>
        {agentIds.map((agent) => (
          <option key={agent} value={agent} />
        ))}
      </datalist>
      <datalist id={`${id}-cmds`}>
        {cmds.map((cmd) => (
          <option key={cmd} value={cmd} />
        ))}
      </datalist>
    </form>
  );
}
