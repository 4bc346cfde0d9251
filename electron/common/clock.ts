/** The time source the hub and its jobs read, so tests can drive time instead of waiting for it. */
export interface Clock {
  now(): number;
}

/** Seconds since the epoch with milliseconds, as the seed's frames carry them. */
export function epochSeconds(now: number): number {
  return now / 1000;
}
