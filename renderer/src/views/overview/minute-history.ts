/** The overview's per-minute history as its sparkline draws it. */

/**
 * The hub answers every minute of the hour, oldest first, the last one being the current minute. That one
 * is still filling, so it is left out: drawn, it would look like a sudden drop.
 */
export function completedMinutes(perMinute: readonly number[]): number[] {
  return perMinute.slice(0, -1);
}
