/** `GET /api/search`: full-text search over the messages the caller may read, newest first, a page at a time. */
import { searchQuery, SwitchboardError } from '../../../shared/index.js';
import { ftsQuery } from '../read-models/search-query.js';
import type { HubServices } from '../services.js';
import { mayAccess } from '../store/conversation-store.js';
import { requireIdentity, route, type Route } from './http-router.js';
import { parseWith } from './parse.js';

export function searchRoutes(s: Pick<HubServices, 'conversations' | 'search' | 'searchIndex'>): Route[] {
  return [
    route('search', {
      handle(ctx) {
        const identity = requireIdentity(ctx);
        const query = parseWith(searchQuery, { q: '', ...Object.fromEntries(ctx.query) }, 'query');
        const words = ftsQuery(query.q);
        if (words === '') throw new SwitchboardError('SB_ERR_VALIDATION', 'q is empty: give the words to search for, as in /api/search?q=parser');
        if (query.conversation !== undefined && !mayAccess(s.conversations.meta(query.conversation), identity.agent, identity.admin)) {
          throw new SwitchboardError('SB_ERR_FORBIDDEN', `agent "${identity.agent}" is not a member of conversation "${query.conversation}"`);
        }
        const hidden = identity.admin ? [] : [...s.conversations.metas()].filter((meta) => !mayAccess(meta, identity.agent, false)).map((meta) => meta.id);
        // Messages are indexed shortly after their commit: the newest are indexed now, so every acknowledged one is found.
        s.searchIndex.catchUp();
        const results = s.search.search({
          query: words,
          before: query.before ?? Number.MAX_SAFE_INTEGER,
          conversation: query.conversation,
          hidden,
          limit: query.limit,
        });
        // A full page may have more behind it: the next page is the one before its oldest hit.
        const nextBefore = results.length === query.limit ? (results.at(-1)?.seq ?? null) : null;
        return { body: { status: 'ok', results, next_before: nextBefore } };
      },
    }),
  ];
}
