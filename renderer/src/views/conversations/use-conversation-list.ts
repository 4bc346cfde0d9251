/**
 * The conversations the person may read (`GET /api/conversations`), seeded into the store's live activity
 * with the seqs seen on earlier visits; listed again when one appears live that the list does not have yet.
 */
import { useEffect, useMemo } from 'react';
import { httpRoutes, type ConversationInfo, type HttpResponse } from '../../../../shared/index.js';
import { useHubQuery, type HubQuery } from '../../components/use-hub-query.js';
import { useStore } from '../../store/store.js';
import { readSeen, seenSince, writeSeen } from './seen-storage.js';

export interface Conversations {
  query: HubQuery<HttpResponse<typeof httpRoutes.listConversations>>;
  byId: ReadonlyMap<string, ConversationInfo>;
}

export function useConversationList(openId: string | undefined): Conversations {
  const query = useHubQuery(httpRoutes.listConversations);
  const byId = useMemo(() => new Map((query.data?.conversations ?? []).map((c) => [c.id, c])), [query.data]);

  useEffect(() => {
    if (query.data === undefined) return;
    const stored = readSeen();
    const seen = seenSince(stored, query.data.conversations);
    if (stored === undefined) writeSeen(seen);
    const open = openId === undefined ? undefined : byId.get(openId);
    // The conversation on screen counts as seen up to its newest message.
    if (open !== undefined) seen[open.id] = Math.max(seen[open.id] ?? 0, open.last_seq);
    useStore.getState().seedActivity(
      query.data.conversations.map((c) => ({ id: c.id, last_seq: c.last_seq, paused: c.paused !== null })),
      seen,
    );
  }, [query.data, byId, openId]);

  const unlisted = useStore((s) => (query.data === undefined ? 0 : Object.keys(s.activity).filter((id) => !byId.has(id)).length));
  const { reload } = query;
  useEffect(() => {
    if (unlisted > 0) reload();
  }, [unlisted, reload]);

  return { query, byId };
}
