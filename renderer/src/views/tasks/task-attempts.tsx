/** A task's attempts, oldest first: which agent had it, when it was offered, accepted and ended, and how. */
import type { TaskAttempt } from '../../../../shared/index.js';
import { formatDuration, formatTime } from '../../components/format.js';

/** How an attempt ended, coloured like task states: done well, badly, taken back, or still open. */
const OUTCOME_TONES: Record<string, string> = {
  completed: 'ok',
  failed: 'danger',
  rejected: 'danger',
  expired: 'warn',
  revoked: 'warn',
  canceled: 'muted',
  withdrawn: 'muted',
};

function outcomeTone(outcome: string): string {
  return OUTCOME_TONES[outcome] ?? 'info';
}

export function TaskAttempts({ attempts }: { attempts: readonly TaskAttempt[] }) {
  if (attempts.length === 0) return <p className="muted">Not offered to any agent yet.</p>;
  return (
    <ol className="attempts" aria-label="Attempts">
      {attempts.map((attempt) => (
        <li key={attempt.attempt} data-testid="task-attempt" data-outcome={attempt.outcome}>
          <div className="row">
            <strong>#{attempt.attempt}</strong>
            <span>{attempt.agent}</span>
            <span className={`chip chip-${outcomeTone(attempt.outcome)}`}>{attempt.outcome}</span>
            {attempt.ended_at === null ? null : (
              <span className="muted">took {formatDuration(Date.parse(attempt.ended_at) - Date.parse(attempt.assigned_at))}</span>
            )}
          </div>
          <div className="attempt-times muted">
            offered {formatTime(attempt.assigned_at)}
            {attempt.accepted_at === null ? null : <> · accepted {formatTime(attempt.accepted_at)}</>}
            {attempt.ended_at === null ? null : <> · ended {formatTime(attempt.ended_at)}</>}
          </div>
          {attempt.detail === null ? null : <div className="attempt-detail">{attempt.detail}</div>}
        </li>
      ))}
    </ol>
  );
}
