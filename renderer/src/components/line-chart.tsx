/**
 * A small responsive SVG line chart over time: a few axis ticks, a legend, and a tooltip that follows the
 * pointer or the arrow keys. Points with `y: null` break the line (no data there); a point with no
 * neighbour is drawn as a dot so it does not vanish.
 */
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { isolatedPoints, layeredStrokeWidths, linePath } from './chart-path.js';
import { valuesAt } from './chart-values.js';
import { DAY, niceTicks, timeTicks, type ChartSeries } from './chart-scale.js';
import './charts.css';

export type { ChartPoint, ChartSeries } from './chart-scale.js';

export interface LineChartProps {
  /** The chart's accessible name, also shown as its heading. */
  title: string;
  series: readonly ChartSeries[];
  /** The time span the x axis shows. */
  xDomain: readonly [number, number];
  formatY(value: number): string;
  /** The y axis reaches at least this value (so a flat 0 line still has a scale). */
  yMinMax?: number;
  height?: number;
  testId?: string;
}

const MARGIN = { top: 10, right: 14, bottom: 24, left: 52 };
const DEFAULT_HEIGHT = 190;
/** Roughly one x label per this many pixels. */
const X_LABEL_SPACING = 70;

function formatTick(ms: number, span: number): string {
  const at = new Date(ms);
  if (span > 2 * DAY) {
    return at.getHours() === 0 && at.getMinutes() === 0
      ? at.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
      : at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hour12: false });
  }
  return at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hour12: false });
}

function formatMoment(ms: number, span: number): string {
  const at = new Date(ms);
  const time = at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hour12: false });
  return span > DAY ? `${at.toLocaleDateString(undefined, { weekday: 'short', month: 'short', day: 'numeric' })} ${time}` : time;
}

function useElementWidth(fallback: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (element === null) return;
    const observer = new ResizeObserver((entries) => {
      const next = Math.floor(entries[0]?.contentRect.width ?? 0);
      if (next > 0) setWidth(next);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

export function LineChart({ title, series, xDomain, formatY, yMinMax = 0, height = DEFAULT_HEIGHT, testId }: LineChartProps) {
  const { ref, width } = useElementWidth(560);
  const titleId = useId();
  const [active, setActive] = useState<number | undefined>(undefined);
  const [from, to] = xDomain;
  const span = Math.max(1, to - from);
  const plotWidth = Math.max(40, width - MARGIN.left - MARGIN.right);
  const plotHeight = height - MARGIN.top - MARGIN.bottom;

  const { yTicks, times } = useMemo(() => {
    let max = yMinMax;
    const xs = new Set<number>();
    for (const s of series) {
      for (const p of s.filling === undefined ? s.points : [...s.points, s.filling]) {
        if (p.y === null) continue;
        max = Math.max(max, p.y);
        xs.add(p.x);
      }
    }
    return { yTicks: niceTicks(max), times: [...xs].sort((a, b) => a - b) };
  }, [series, yMinMax]);

  const yTop = yTicks[yTicks.length - 1] ?? 1;
  const x = (v: number): number => MARGIN.left + ((v - from) / span) * plotWidth;
  const y = (v: number): number => MARGIN.top + plotHeight - (v / yTop) * plotHeight;
  const strokeWidths = layeredStrokeWidths(series, y);
  const activeIndex = active === undefined || times.length === 0 ? undefined : Math.min(active, times.length - 1);
  const activeTime = activeIndex === undefined ? undefined : times[activeIndex];

  const nearestIndex = (clientX: number, box: DOMRect): number => {
    const at = from + ((clientX - box.left - MARGIN.left) / plotWidth) * span;
    let best = 0;
    times.forEach((t, i) => {
      if (Math.abs(t - at) < Math.abs((times[best] ?? t) - at)) best = i;
    });
    return best;
  };

  const onPointerMove = (event: PointerEvent<SVGSVGElement>): void => {
    if (times.length > 0) setActive(nearestIndex(event.clientX, event.currentTarget.getBoundingClientRect()));
  };

  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>): void => {
    if (times.length === 0) return;
    const last = times.length - 1;
    const current = activeIndex ?? last;
    const next: Record<string, number | undefined> = {
      ArrowLeft: Math.max(0, current - 1),
      ArrowRight: Math.min(last, current + 1),
      Home: 0,
      End: last,
      Escape: undefined,
    };
    if (!(event.key in next)) return;
    event.preventDefault();
    setActive(next[event.key]);
  };

  const tooltipRows = activeTime === undefined ? [] : valuesAt(series, activeTime);
  const tooltipLeft = activeTime === undefined ? 0 : x(activeTime);
  const flip = tooltipLeft > width * 0.6;

  return (
    <figure className="line-chart" data-testid={testId}>
      <figcaption id={titleId} className="line-chart-title">
        {title}
      </figcaption>
      <div className="line-chart-plot" ref={ref}>
        <svg
          width={width}
          height={height}
          role="img"
          aria-labelledby={titleId}
          aria-describedby={`${titleId}-tip`}
          tabIndex={0}
          onPointerMove={onPointerMove}
          onPointerLeave={() => setActive(undefined)}
          onBlur={() => setActive(undefined)}
          onFocus={() => setActive((current) => current ?? (times.length > 0 ? times.length - 1 : undefined))}
          onKeyDown={onKeyDown}
        >
          {yTicks.map((tick) => (
            <g key={`y${tick}`} className="line-chart-grid">
              <line x1={MARGIN.left} x2={MARGIN.left + plotWidth} y1={y(tick)} y2={y(tick)} />
              <text x={MARGIN.left - 6} y={y(tick)} dy="0.32em" textAnchor="end">
                {formatY(tick)}
              </text>
            </g>
          ))}
          {timeTicks(from, to, Math.max(3, Math.floor(plotWidth / X_LABEL_SPACING))).map((tick) => (
            <g key={`x${tick}`} className="line-chart-axis">
              <line x1={x(tick)} x2={x(tick)} y1={MARGIN.top + plotHeight} y2={MARGIN.top + plotHeight + 4} />
              <text x={x(tick)} y={MARGIN.top + plotHeight + 16} textAnchor="middle">
                {formatTick(tick, span)}
              </text>
            </g>
          ))}
          {series.map((s, index) => (
            <g key={s.id} className="line-chart-series" style={{ color: s.color }}>
              <path d={linePath(s.points, x, y)} strokeDasharray={s.dashed === true ? '5 4' : undefined} style={{ strokeWidth: strokeWidths[index] }} />
              {isolatedPoints(s.points).map((p) => (
                <circle key={p.x} cx={x(p.x)} cy={y(p.y)} r={2.5} />
              ))}
              {s.filling === undefined ? null : <FillingTail series={s} x={x} y={y} strokeWidth={strokeWidths[index] ?? 1.5} />}
            </g>
          ))}
          {activeTime === undefined ? null : (
            <g className="line-chart-cursor">
              <line x1={x(activeTime)} x2={x(activeTime)} y1={MARGIN.top} y2={MARGIN.top + plotHeight} />
              {tooltipRows.map((row) => (
                <circle key={row.id} cx={x(activeTime)} cy={y(row.value)} r={3.5} style={{ color: row.color }} />
              ))}
            </g>
          )}
        </svg>
        <div
          id={`${titleId}-tip`}
          className="line-chart-tooltip"
          role="status"
          hidden={activeTime === undefined}
          style={flip ? { right: width - tooltipLeft + 10 } : { left: tooltipLeft + 10 }}
        >
          {activeTime === undefined ? null : (
            <>
              <div className="line-chart-tooltip-time">{formatMoment(activeTime, span)}</div>
              {tooltipRows.length === 0 ? <div className="muted">no data</div> : null}
              {tooltipRows.map((row) => (
                <div key={row.id} className="line-chart-tooltip-row">
                  <Swatch color={row.color} dashed={row.dashed} />
                  <span>{row.label}</span>
                  <strong>
                    {formatY(row.value)}
                    {row.partial ? ' so far' : ''}
                  </strong>
                </div>
              ))}
            </>
          )}
        </div>
      </div>
      <ul className="line-chart-legend" aria-label={`${title} legend`}>
        {series.map((s) => (
          <li key={s.id}>
            <Swatch color={s.color} dashed={s.dashed === true} />
            {s.label}
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** The bucket still filling: a hollow dot, joined to the line's last point by a dotted tail. */
function FillingTail({ series, x, y, strokeWidth }: { series: ChartSeries; x: (v: number) => number; y: (v: number) => number; strokeWidth: number }) {
  const filling = series.filling;
  if (filling === undefined) return null;
  const last = series.points.findLast((p) => p.y !== null && p.x < filling.x);
  return (
    <g className="line-chart-filling">
      {last === undefined || last.y === null ? null : <line x1={x(last.x)} y1={y(last.y)} x2={x(filling.x)} y2={y(filling.y)} style={{ strokeWidth }} />}
      <circle cx={x(filling.x)} cy={y(filling.y)} r={2 + strokeWidth / 2} />
    </g>
  );
}

function Swatch({ color, dashed }: { color: string; dashed: boolean }) {
  return (
    <svg className="line-chart-swatch" width="18" height="8" aria-hidden="true" style={{ color }}>
      <line x1="1" x2="17" y1="4" y2="4" strokeDasharray={dashed ? '4 3' : undefined} />
    </svg>
  );
}
