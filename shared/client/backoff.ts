/** Reconnect delays: exponential with jitter, so many agents reconnecting to a restarted hub spread out. */

export interface ReconnectPolicy {
  /** First delay, in ms (default 250). */
  initialMs: number;
  /** Longest delay, in ms (default 10000). */
  maxMs: number;
}

export const DEFAULT_RECONNECT: ReconnectPolicy = { initialMs: 250, maxMs: 10_000 };

/** Delay before reconnect attempt `n` (0-based): between half and all of the capped exponential. */
export function reconnectDelay(n: number, random: number, policy: ReconnectPolicy = DEFAULT_RECONNECT): number {
  const cap = Math.min(policy.maxMs, policy.initialMs * 2 ** n);
  return Math.round(cap / 2 + (cap / 2) * random);
}
