/** `GET /api/federation`: whether this hub is linked to others, and how far behind the link is. */
import type { HubServices } from '../services.js';
import { route, type Route } from './http-router.js';

export function federationRoutes(s: Pick<HubServices, 'federation'>): Route[] {
  return [
    route('federation', {
      async handle() {
        return { body: { status: 'ok', federation: await s.federation.status() } };
      },
    }),
  ];
}
