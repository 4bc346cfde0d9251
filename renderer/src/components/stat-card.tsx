/** One figure on a card: a label, the value (its `data-testid` is `testId`), and optionally a hint and a chart. */
import type { ReactNode } from 'react';

export interface StatCardProps {
  label: string;
  value: ReactNode;
  /** Put on the value, so a test reads the figure as text. */
  testId?: string;
  hint?: ReactNode;
  children?: ReactNode;
}

export function StatCard({ label, value, testId, hint, children }: StatCardProps) {
  return (
    <section className="card stat-card" aria-label={label}>
      <div className="stat-label">{label}</div>
      <div className="stat-value" data-testid={testId}>
        {value}
      </div>
      {hint === undefined ? null : <div className="stat-hint muted">{hint}</div>}
      {children}
    </section>
  );
}
