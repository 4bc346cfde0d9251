/** Interaction rollups in SQLite: one row per agent and minute, the raw rows a minute is rebuilt from, and range queries. */
import type { MinuteSummary, Sample } from '../metrics/minute-summary.js';
import { MINUTE_MS } from '../metrics/minute-summary.js';
import type { Db } from './database.js';

/** Minutes merged into one bucket of a series or a total (`size` minutes, aligned to the epoch). */
export interface RollupRange {
  /** Only this agent; all agents when undefined. */
  agent?: string | undefined;
  /** First minute included. */
  from: number;
  /** First minute not included. */
  to: number;
  /** Minutes per bucket; a size larger than the range gives one total per agent. */
  size: number;
}

/**
 * Minute rows merged: counts, sums and maxima are exact; `p50_ms` and `p95_ms` are count-weighted means
 * of the minutes' percentiles (exact for one minute), and `p95_max_ms` the largest minute p95, an upper bound.
 */
export interface RollupBucket extends MinuteSummary {
  agent: string;
  /** First minute of the bucket. */
  bucket: number;
  p95_max_ms: number;
  minutes: number;
}

type NumericRow = Omit<RollupBucket, 'tools' | 'error_types'>;
interface CountRow {
  agent: string;
  bucket: number;
  name: string;
  n: number;
}
interface RawRow {
  response_time_ms: number;
  success: number;
  error_type: string | null;
  tools_used: string;
}

/** Row-per-bucket SQL; `$agent` narrows to one agent (the primary key) or `$all` reads every agent (the minute index). */
const bucketOf = 'minute - minute % $size';
const numeric = (where: string): string =>
  `SELECT agent, ${bucketOf} AS bucket, sum(count) AS count, sum(errors) AS errors, sum(sum_ms) AS sum_ms, max(max_ms) AS max_ms,
     sum(p50_ms * count) / sum(count) AS p50_ms, sum(p95_ms * count) / sum(count) AS p95_ms, max(p95_ms) AS p95_max_ms, count(*) AS minutes
   FROM interaction_rollups WHERE ${where} GROUP BY agent, bucket ORDER BY agent, bucket`;
const counts = (column: 'tools' | 'error_types', where: string): string =>
  `SELECT agent, ${bucketOf} AS bucket, j.key AS name, sum(j.value) AS n
   FROM interaction_rollups, json_each(interaction_rollups.${column}) AS j WHERE ${where} GROUP BY agent, bucket, name`;
const ONE_AGENT = 'agent = $agent AND minute >= $from AND minute < $to';
const ALL_AGENTS = 'minute >= $from AND minute < $to';

export type RollupStore = ReturnType<typeof createRollupStore>;

export function createRollupStore(db: Db) {
  const upsert = db.prepare<[string, number, number, number, number, number, number, number, string, string]>(
    `INSERT INTO interaction_rollups (agent, minute, count, errors, sum_ms, max_ms, p50_ms, p95_ms, tools, error_types)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (agent, minute) DO UPDATE SET count = excluded.count, errors = excluded.errors, sum_ms = excluded.sum_ms,
       max_ms = excluded.max_ms, p50_ms = excluded.p50_ms, p95_ms = excluded.p95_ms, tools = excluded.tools, error_types = excluded.error_types`,
  );
  const samples = db.prepare<[string, number, number, number], RawRow>(
    'SELECT response_time_ms, success, error_type, tools_used FROM interactions WHERE agent = ? AND ts >= ? AND ts < ? AND id < ?',
  );
  const touched = db.prepare<[number, number], { agent: string; minute: number }>(
    'SELECT DISTINCT agent, ts / 60000 AS minute FROM interactions WHERE id > ? AND ts >= ?',
  );
  const lastInteraction = db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM interactions');
  const progress = db.prepare<[], { last_interaction: number }>('SELECT last_interaction FROM rollup_progress WHERE id = 1');
  const setProgress = db.prepare<[number]>('UPDATE rollup_progress SET last_interaction = max(last_interaction, ?) WHERE id = 1');
  const queries = {
    one: { numeric: db.prepare(numeric(ONE_AGENT)), tools: db.prepare(counts('tools', ONE_AGENT)), errors: db.prepare(counts('error_types', ONE_AGENT)) },
    all: { numeric: db.prepare(numeric(ALL_AGENTS)), tools: db.prepare(counts('tools', ALL_AGENTS)), errors: db.prepare(counts('error_types', ALL_AGENTS)) },
  };

  return {
    write(agent: string, minute: number, summary: MinuteSummary): void {
      const s = summary;
      upsert.run(agent, minute, s.count, s.errors, s.sum_ms, s.max_ms, s.p50_ms, s.p95_ms, JSON.stringify(s.tools), JSON.stringify(s.error_types));
    },
    /** The stored interactions of one agent and minute with an id below `beforeId`. */
    *samples(agent: string, minute: number, beforeId = Number.MAX_SAFE_INTEGER): Generator<Sample> {
      for (const row of samples.iterate(agent, minute * MINUTE_MS, (minute + 1) * MINUTE_MS, beforeId)) {
        yield {
          response_time_ms: row.response_time_ms,
          success: row.success === 1,
          error_type: row.error_type,
          tools_used: JSON.parse(row.tools_used) as unknown[],
        };
      }
    },
    /** The (agent, minute) pairs of interactions after id `afterId`, from `fromMinute` on. */
    touchedSince(afterId: number, fromMinute: number): { agent: string; minute: number }[] {
      return touched.all(afterId, fromMinute * MINUTE_MS);
    },
    lastInteraction(): number {
      return lastInteraction.get()?.id ?? 0;
    },
    progress(): number {
      return progress.get()?.last_interaction ?? 0;
    },
    /** Moves the progress mark forward to `id` (never back). */
    setProgress(id: number): void {
      setProgress.run(id);
    },
    /** Minute rows merged into buckets per agent, ordered by agent and time. */
    buckets(range: RollupRange): RollupBucket[] {
      const q = range.agent === undefined ? queries.all : queries.one;
      const params = { from: range.from, to: range.to, size: range.size, ...(range.agent === undefined ? {} : { agent: range.agent }) };
      // Names come from agents: gathered as entries, so one such as "__proto__" is kept as a plain key.
      const named = (statement: typeof q.tools): Map<string, [string, number][]> => {
        const byBucket = new Map<string, [string, number][]>();
        for (const row of statement.all(params) as CountRow[]) {
          const key = `${row.agent}\u0000${row.bucket}`;
          let entries = byBucket.get(key);
          if (entries === undefined) byBucket.set(key, (entries = []));
          entries.push([row.name, row.n]);
        }
        return byBucket;
      };
      const tools = named(q.tools);
      const errorTypes = named(q.errors);
      return (q.numeric.all(params) as NumericRow[]).map((row) => {
        const key = `${row.agent}\u0000${row.bucket}`;
        return { ...row, tools: Object.fromEntries(tools.get(key) ?? []), error_types: Object.fromEntries(errorTypes.get(key) ?? []) };
      });
    },
  };
}
