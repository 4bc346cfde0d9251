/** A small line chart of a series, newest value on the right; hand-written SVG, scaled to its box. */
import { memo } from 'react';

export interface SparklineProps {
  values: readonly number[];
  /** Said by screen readers, with the newest and highest value appended. */
  label: string;
  /** A CSS colour, e.g. `var(--chart-1)`. */
  color?: string;
  height?: number;
  testId?: string;
}

/** The SVG's own coordinate box; the element stretches it to the width it gets. */
const VIEW_WIDTH = 120;

export const Sparkline = memo(function Sparkline({ values, label, color = 'var(--chart-1)', height = 36, testId }: SparklineProps) {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? VIEW_WIDTH / (values.length - 1) : VIEW_WIDTH;
  // One pixel of headroom above and below, so the line is never cut by the edge.
  const y = (value: number): number => 1 + (height - 2) * (1 - value / max);
  const points = values.map((value, index) => `${(index * step).toFixed(2)},${y(value).toFixed(2)}`);
  const line = points.length > 0 ? `M${points.join('L')}` : '';
  const area = points.length > 1 ? `${line}L${VIEW_WIDTH},${height}L0,${height}Z` : '';
  const newest = values[values.length - 1] ?? 0;
  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${VIEW_WIDTH} ${height}`}
      preserveAspectRatio="none"
      width="100%"
      height={height}
      role="img"
      aria-label={`${label}: now ${newest}, highest ${Math.max(0, ...values)}`}
      data-testid={testId}
      data-points={values.length}
    >
      {area === '' ? null : <path d={area} fill={color} fillOpacity={0.15} stroke="none" />}
      {line === '' ? null : <path d={line} fill="none" stroke={color} strokeWidth={1.5} vectorEffect="non-scaling-stroke" strokeLinejoin="round" />}
    </svg>
  );
});
