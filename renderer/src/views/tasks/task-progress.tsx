/** A child's last progress report: `{ value?, message?, at }`, a bar when the value is a fraction or a percent. */

interface ProgressReport {
  value?: unknown;
  message?: unknown;
  at?: unknown;
}

/** 0…1 is a fraction, 1…100 a percent; anything else is shown as it came. */
function asFraction(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined;
  if (value <= 1) return value;
  return value <= 100 ? value / 100 : undefined;
}

export function TaskProgress({ progress }: { progress: unknown }) {
  if (progress === null || typeof progress !== 'object') return null;
  const report = progress as ProgressReport;
  const fraction = asFraction(report.value);
  return (
    <div className="task-progress">
      {fraction === undefined ? (
        report.value === undefined ? null : (
          <span className="mono">{JSON.stringify(report.value)}</span>
        )
      ) : (
        <progress value={fraction} max={1} aria-label="Progress">
          {Math.round(fraction * 100)}%
        </progress>
      )}
      {fraction === undefined ? null : <span>{Math.round(fraction * 100)}%</span>}
      {typeof report.message === 'string' ? <span>{report.message}</span> : null}
    </div>
  );
}
