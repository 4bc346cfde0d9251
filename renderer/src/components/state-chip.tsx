/** A task's state as a coloured chip; the colour says whether it is moving, waiting on a person, done well or badly. */
import type { TaskState } from '../../../shared/index.js';

type Tone = 'info' | 'warn' | 'ok' | 'danger' | 'muted';

const TONES: Record<TaskState, Tone> = {
  submitted: 'info',
  working: 'info',
  'input-required': 'warn',
  completed: 'ok',
  failed: 'danger',
  rejected: 'danger',
  canceled: 'muted',
};

export function stateTone(state: TaskState): Tone {
  return TONES[state];
}

/** `testId` tells a task's own state (the default) from a related task's, e.g. a retry's, in the same panel. */
export function StateChip({ state, testId = 'task-state' }: { state: TaskState; testId?: string }) {
  return (
    <span className={`chip chip-${stateTone(state)}`} data-testid={testId}>
      {state}
    </span>
  );
}
