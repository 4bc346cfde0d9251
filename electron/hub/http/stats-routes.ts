/** `GET /api/stats/rates`: messages and tasks per minute over the last N minutes, for the dashboard's charts. */
import { messageRatesQuery } from '../../../shared/index.js';
import { MINUTE_MS, minuteOf } from '../metrics/minute-summary.js';
import type { HubServices } from '../services.js';
import { route, type Route } from './http-router.js';
import { parseWith } from './parse.js';

export function statsRoutes(s: Pick<HubServices, 'rates' | 'clock' | 'searchIndex'>): Route[] {
  return [
    route('messageRates', {
      handle(ctx) {
        const { minutes } = parseWith(messageRatesQuery, Object.fromEntries(ctx.query), 'query');
        // The current minute, still filling, is the last entry.
        const until = (minuteOf(s.clock.now()) + 1) * MINUTE_MS;
        // Messages are counted with their indexing, shortly after the commit: the newest are counted now.
        s.searchIndex.catchUp();
        return { body: { status: 'ok', minutes: s.rates.perMinute(until - minutes * MINUTE_MS, until) } };
      },
    }),
  ];
}
