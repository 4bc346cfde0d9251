/**
 * Failed authentications by source address: a budget per minute, past which they are answered with
 * SB_ERR_RATE_LIMITED, and one audit event per source, subject and reason per minute carrying a count,
 * so a flood of bad tokens cannot grow the database or the log. Only failures are counted: a valid token
 * is checked first and always gets in, also from an address that is flooding (all local processes share 127.0.0.1).
 */
import { SwitchboardError } from '../../../shared/protocol/index.js';
import type { Logger } from '../../common/logger.js';
import type { EventStore } from '../store/event-store.js';

/** Failed attempts one source may make per minute before the next ones are answered with SB_ERR_RATE_LIMITED. */
export const AUTH_FAILURES_PER_MINUTE = 30;

const WINDOW_MS = 60_000;
/** How often counts are written to their events and finished minutes forgotten. */
const SWEEP_MS = 10_000;
/** Sources and tallies kept at most; past that the oldest are settled and forgotten. */
const MAX_TRACKED = 10_000;

/** One source's failures in the minute that began at `start`. */
interface Budget {
  start: number;
  failures: number;
}

/** One audit event standing for every failure of one kind from one source in its minute. */
interface Tally {
  start: number;
  /** Undefined when the event could not be written. */
  eventId: number | undefined;
  detail: { reason: string; peer: string };
  count: number;
  written: number;
}

export type AuthFailures = ReturnType<typeof createAuthFailures>;

export function createAuthFailures(deps: { events: EventStore; logger: Logger; now: () => number }) {
  const budgets = new Map<string, Budget>();
  const tallies = new Map<string, Tally>();

  // The refusal matters more than its audit row: a hub that cannot write (a full disk, a damaged
  // database) still answers SB_ERR_AUTH, and the sweep timer never throws.
  const unrecorded = (error: unknown): void => deps.logger.warn('a failed authentication was not recorded', { error: String(error) });

  const write = (tally: Tally): void => {
    if (tally.count === tally.written || tally.eventId === undefined) return;
    try {
      deps.events.amend(tally.eventId, { ...tally.detail, count: tally.count });
      tally.written = tally.count;
    } catch (error) {
      unrecorded(error);
    }
  };

  /** Writes counts that grew, and forgets minutes that are over (or the oldest, past MAX_TRACKED). */
  const sweep = (): void => {
    const now = deps.now();
    for (const [key, tally] of tallies) {
      write(tally);
      if (now - tally.start >= WINDOW_MS || tallies.size > MAX_TRACKED) tallies.delete(key);
    }
    for (const [peer, budget] of budgets) {
      if (now - budget.start >= WINDOW_MS || budgets.size > MAX_TRACKED) budgets.delete(peer);
    }
  };
  const timer = setInterval(sweep, SWEEP_MS);
  timer.unref();

  const count = (peer: string, subject: string, reason: string, now: number): void => {
    const key = `${peer}\n${subject}\n${reason}`;
    const tally = tallies.get(key);
    if (tally !== undefined && now - tally.start < WINDOW_MS) {
      tally.count++;
      return;
    }
    if (tally !== undefined) write(tally);
    tallies.delete(key);
    const detail = { reason, peer };
    let eventId: number | undefined;
    try {
      eventId = deps.events.record('auth_failure', now, { subject, detail: { ...detail, count: 1 } });
    } catch (error) {
      unrecorded(error);
    }
    tallies.set(key, { start: now, eventId, detail, count: 1, written: 1 });
    deps.logger.warn('authentication failed', { source: subject, peer, reason });
    if (tallies.size > MAX_TRACKED) sweep();
  };

  return {
    /** Notes a failed attempt from `peer`; returns SB_ERR_RATE_LIMITED to answer it with once the source is past its budget for the minute. */
    failed(peer: string, subject: string, reason: string): SwitchboardError | undefined {
      const now = deps.now();
      count(peer, subject, reason, now);
      let budget = budgets.get(peer);
      if (budget === undefined || now - budget.start >= WINDOW_MS) {
        budgets.delete(peer);
        budget = { start: now, failures: 0 };
        budgets.set(peer, budget);
      }
      budget.failures++;
      if (budget.failures <= AUTH_FAILURES_PER_MINUTE) return undefined;
      const wait = Math.max(1, Math.ceil((budget.start + WINDOW_MS - now) / 1000));
      return new SwitchboardError(
        'SB_ERR_RATE_LIMITED',
        `more than ${AUTH_FAILURES_PER_MINUTE} failed authentications from ${peer} within a minute; try again in ${wait} s`,
      );
    },
    /** Writes every count that grew to its event and stops the sweep (before the hub closes its database). */
    close(): void {
      clearInterval(timer);
      for (const tally of tallies.values()) write(tally);
    },
  };
}
