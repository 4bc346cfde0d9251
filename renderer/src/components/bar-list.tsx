/** A ranked list of counts as horizontal bars (e.g. tools used, error types), largest first. */
import type { CSSProperties } from 'react';
import { formatCount } from './format.js';
import './charts.css';

export interface BarListItem {
  label: string;
  value: number;
}

export interface BarListProps {
  /** The list's accessible name. */
  label: string;
  items: readonly BarListItem[];
  /** Any CSS colour for the bars. */
  color?: string;
  /** Rows shown at most; the rest are summed up in a line below. */
  limit?: number;
  formatValue?(value: number): string;
  testId?: string;
}

export function BarList({ label, items, color, limit = 8, formatValue = formatCount, testId }: BarListProps) {
  const sorted = [...items].sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  const shown = sorted.slice(0, limit);
  const rest = sorted.slice(limit);
  const max = Math.max(1, ...shown.map((item) => item.value));
  const style = color === undefined ? undefined : ({ '--bar-color': color } as CSSProperties);
  return (
    <div data-testid={testId}>
      <ol className="bar-list" aria-label={label} style={style}>
        {shown.map((item) => (
          <li key={item.label} data-label={item.label}>
            <span className="bar-list-label" title={item.label}>
              {item.label}
            </span>
            <span className="bar-list-track" aria-hidden="true">
              <span className="bar-list-bar" style={{ width: `${(item.value / max) * 100}%` }} />
            </span>
            <span className="bar-list-value">{formatValue(item.value)}</span>
          </li>
        ))}
      </ol>
      {rest.length === 0 ? null : (
        <div className="bar-list-more muted">
          and {rest.length} more ({formatValue(rest.reduce((sum, item) => sum + item.value, 0))})
        </div>
      )}
    </div>
  );
}
