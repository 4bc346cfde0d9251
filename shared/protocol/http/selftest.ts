/**
 * The durability self-test over HTTP (admin): a scratch hub in a child process, killed with SIGKILL while
 * two agents send, and every acknowledged message looked for afterwards. One run at a time, in the background.
 */
import { z } from 'zod';
import { isoTime } from '../common.js';
import { okStatus } from './common.js';
import { defineRoute } from './route.js';

/** How many messages a run may send: the default is a couple of seconds on most machines. */
export const SELFTEST_MESSAGES = { min: 100, max: 100_000, default: 2000 } as const;

export const startSelftestRequest = z.strictObject({
  messages: z
    .int({ error: `messages must be a whole number from ${SELFTEST_MESSAGES.min} to ${SELFTEST_MESSAGES.max}` })
    .min(SELFTEST_MESSAGES.min, { error: `messages must be at least ${SELFTEST_MESSAGES.min}` })
    .max(SELFTEST_MESSAGES.max, { error: `messages must be at most ${SELFTEST_MESSAGES.max}` })
    .optional(),
});
export type StartSelftestRequest = z.input<typeof startSelftestRequest>;

/** A finished run. `ok`: nothing lost, duplicated or out of sequence, the database intact, and no `error`. */
export const selftestResult = z.object({
  /** The messages asked for. */
  messages: z.number().int(),
  acked: z.number().int(),
  /** Acknowledged messages found in the database afterwards. */
  found: z.number().int(),
  lost: z.number().int(),
  duplicates: z.number().int(),
  /** Breaks in the stored messages' seqs. */
  gaps: z.number().int(),
  kills: z.number().int(),
  /** SQLite's integrity check: `ok`, what it found, or `not checked` after an `error`. */
  integrity: z.string(),
  seconds: z.number(),
  started_at: isoTime,
  finished_at: isoTime,
  ok: z.boolean(),
  /** Why the run did not finish (the scratch hub would not start, the run took too long); null when it did. */
  error: z.string().nullable(),
});
export type SelftestResult = z.output<typeof selftestResult>;

/** Whether a run is going on (with how far it got), and the last finished one, kept across restarts. */
export const selftestState = z.object({
  status: okStatus,
  running: z.boolean(),
  started_at: isoTime.nullable(),
  progress: z.object({ messages: z.number().int(), acked: z.number().int(), kills: z.number().int() }).nullable(),
  last: selftestResult.nullable(),
});
export type SelftestState = z.output<typeof selftestState>;

export const selftestApi = {
  selftest: defineRoute({ method: 'GET', path: '/api/selftest', access: 'admin', ok: [200], response: selftestState }),
  startSelftest: defineRoute({ method: 'POST', path: '/api/selftest', access: 'admin', body: startSelftestRequest, ok: [202], response: selftestState }),
};
