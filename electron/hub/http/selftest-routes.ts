/** `GET /api/selftest` and `POST /api/selftest` (admin): the durability self-test, run in the background. */
import { SELFTEST_MESSAGES, startSelftestRequest } from '../../../shared/index.js';
import type { HubServices } from '../services.js';
import { requireIdentity, route, type Route } from './http-router.js';
import { asObject, parseWith } from './parse.js';

export function selftestRoutes(s: Pick<HubServices, 'selftest'>): Route[] {
  return [
    route('selftest', { handle: () => ({ body: s.selftest.state() }) }),
    route('startSelftest', {
      async handle(ctx) {
        const { messages } = parseWith(startSelftestRequest, asObject(await ctx.body()), 'self-test request');
        return { status: 202, body: s.selftest.start(messages ?? SELFTEST_MESSAGES.default, requireIdentity(ctx).agent) };
      },
    }),
  ];
}
