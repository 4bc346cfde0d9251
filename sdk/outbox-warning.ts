/**
 * Says on stderr when the outbox drops its oldest sends: one line when dropping starts, then, if more
 * were dropped in the next few seconds, one line with how many — never a line per message.
 */
import type { SwitchboardClient } from '../shared/client/index.js';

/** How long a burst of drops is counted before its total is reported. */
export const DROP_SUMMARY_MS = 5_000;

export function warnOnOutboxDrops(client: SwitchboardClient, capacity: number, warn: (line: string) => void, summaryMs = DROP_SUMMARY_MS): void {
  let since: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  client.on('dropped', (count) => {
    if (timer !== undefined) {
      since = (since ?? 0) + count;
      return;
    }
    warn(
      `switchboard: the outbox is full (${capacity} unsent messages): dropped the oldest ${count === 1 ? 'one' : count}; more sends while the hub is unreachable drop more\n`,
    );
    since = 0;
    timer = setTimeout(() => {
      timer = undefined;
      if (since !== undefined && since > 0)
        warn(`switchboard: the outbox dropped ${since} more of its oldest unsent messages in the last ${summaryMs / 1000} s\n`);
      since = undefined;
    }, summaryMs);
    // A pending summary does not keep the agent's process alive.
    timer.unref?.();
  });
}
