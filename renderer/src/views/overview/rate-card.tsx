/**
 * A rate on a card: the last second, a live 60-second sparkline from the store and the last hour from the hub.
 * Each figure says the window it covers: a busy second next to a quiet minute's average is not a contradiction.
 */
import { Sparkline } from '../../components/sparkline.js';
import { formatCount, formatDecimal } from '../../components/format.js';
import type { HourHistory } from './minute-history.js';

export interface RateCardProps {
  label: string;
  /** Per-second counts, newest last (the store's `rates`). */
  perSecond: readonly number[];
  /** The last hour from the hub; undefined while the hub has not answered. */
  hour: HourHistory | undefined;
  /** What the per-minute series counts, e.g. "Messages in the last hour". */
  hourLabel: string;
  color: string;
  testId: string;
}

export function RateCard({ label, perSecond, hour, hourLabel, color, testId }: RateCardProps) {
  const lastSecond = perSecond[perSecond.length - 1] ?? 0;
  const average = perSecond.reduce((sum, value) => sum + value, 0) / Math.max(1, perSecond.length);
  return (
    <section className="card rate-card" aria-label={label}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">
        <span data-testid={`rate-${testId}`}>{formatCount(lastSecond)}</span>
        <span className="rate-unit"> /s in the last second</span>
      </div>
      <div className="muted rate-hint" data-testid={`rate-${testId}-average`}>
        {formatDecimal(average)} /s on average over the last {perSecond.length} seconds
      </div>
      <Sparkline values={perSecond} label={`${label}, per second, last 60 seconds`} color={color} testId={`sparkline-${testId}`} />
      {hour === undefined ? null : (
        <>
          <div className="muted rate-hint">
            {hourLabel}: {formatCount(hour.total)}
          </div>
          <Sparkline values={hour.minutes} label={`${hourLabel}, per minute`} color={color} height={28} testId={`sparkline-${testId}-hour`} />
        </>
      )}
    </section>
  );
}
