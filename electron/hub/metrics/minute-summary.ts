/** One agent's interactions in one minute, summarised exactly: counts, nearest-rank p50/p95, tools and error types. */

export const MINUTE_MS = 60_000;

/** What a rollup row holds for one agent and minute. */
export interface MinuteSummary {
  count: number;
  errors: number;
  sum_ms: number;
  max_ms: number;
  p50_ms: number;
  p95_ms: number;
  /** Tool name → times used. */
  tools: Record<string, number>;
  /** Error type → interactions that reported it. */
  error_types: Record<string, number>;
}

/** The part of an interaction a rollup needs. */
export interface Sample {
  response_time_ms: number;
  success: boolean;
  error_type: string | null;
  tools_used: readonly unknown[];
}

/** The minute (since the epoch, UTC) a time in ms falls in. */
export const minuteOf = (ms: number): number => Math.floor(ms / MINUTE_MS);

/** A tool as its name: a plain string, or the seed's `{"tool": name, …}`. */
export function toolName(tool: unknown): string | undefined {
  if (typeof tool === 'string') return tool;
  if (tool !== null && typeof tool === 'object' && 'tool' in tool && typeof tool.tool === 'string') return tool.tool;
  return undefined;
}

/** The value at quantile `q` of ascending `sorted`, nearest-rank: the smallest value with at least q of all at or below it. */
export function nearestRank(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

const increment = (counts: Map<string, number>, key: string): void => {
  counts.set(key, (counts.get(key) ?? 0) + 1);
};

/** Collects the interactions of one (agent, minute); keeps every response time so the percentiles are exact. */
export class MinuteAccumulator {
  private times: number[] = [];
  private errors = 0;
  private sum = 0;
  private max = 0;
  private readonly tools = new Map<string, number>();
  private readonly errorTypes = new Map<string, number>();

  add(sample: Sample): void {
    const ms = sample.response_time_ms;
    this.times.push(ms);
    this.sum += ms;
    if (ms > this.max) this.max = ms;
    if (!sample.success) this.errors++;
    if (sample.error_type !== null) increment(this.errorTypes, sample.error_type);
    for (const tool of sample.tools_used) {
      const name = toolName(tool);
      if (name !== undefined) increment(this.tools, name);
    }
  }

  get count(): number {
    return this.times.length;
  }

  summary(): MinuteSummary {
    // A typed array sorts numerically and fast; the list itself stays unsorted for cheap appends.
    const sorted = Float64Array.from(this.times).sort();
    return {
      count: sorted.length,
      errors: this.errors,
      sum_ms: this.sum,
      max_ms: this.max,
      p50_ms: nearestRank(sorted, 0.5),
      p95_ms: nearestRank(sorted, 0.95),
      tools: Object.fromEntries(this.tools),
      error_types: Object.fromEntries(this.errorTypes),
    };
  }
}
