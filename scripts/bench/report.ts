/** Number formatting, percentiles and a plain-text table for the bench report. */

/** The value at quantile `q` (0..1) of an ascending array, nearest-rank. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

export interface Percentiles {
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

/** The percentiles, in milliseconds, of durations in nanoseconds (in any order). */
export function percentiles(nanoseconds: Float64Array): Percentiles {
  const ms = Float64Array.from(nanoseconds, (ns) => ns / 1e6).sort();
  return { p50: quantile(ms, 0.5), p99: quantile(ms, 0.99), p999: quantile(ms, 0.999), max: ms[ms.length - 1] ?? Number.NaN };
}

export function formatInt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatMs(value: number): string {
  return value < 10 ? value.toFixed(3) : value.toFixed(1);
}

export interface Row {
  measure: string;
  result: string;
  target: string;
  /** undefined when the row has no target. */
  pass?: boolean;
}

/** A plain table: measure | result | target | ok. */
export function table(rows: readonly Row[]): string {
  const header: [string, string, string, string] = ['measure', 'result', 'target', 'ok'];
  const cells = rows.map((row): [string, string, string, string] => [
    row.measure,
    row.result,
    row.target,
    row.pass === undefined ? '' : row.pass ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]): string =>
    c
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join(' | ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-+-'), ...cells.map(line)].join('\n');
}
