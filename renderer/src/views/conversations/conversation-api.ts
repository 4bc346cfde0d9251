/** The hub's conversation endpoints as the conversations view uses them. */
import { httpRoutes, type SearchResponse, type StoredMessage } from '../../../../shared/index.js';
import { api, type QueryValues } from '../../api/http.js';

/** Messages per page when opening a conversation and when scrolling back. */
export const PAGE_SIZE = 200;
/** A `before` cursor past any seq, for "the newest page". */
const NEWEST = Number.MAX_SAFE_INTEGER;

/** A page of the conversation's messages, oldest first. */
async function readPage(id: string, query: QueryValues<typeof httpRoutes.readMessages>, signal?: AbortSignal): Promise<StoredMessage[]> {
  const page = await api(httpRoutes.readMessages, { params: { id }, query, ...(signal ? { signal } : {}) });
  return page.messages;
}

/** The newest page, oldest first. */
export function fetchNewest(id: string, signal?: AbortSignal): Promise<StoredMessage[]> {
  return readPage(id, { before: NEWEST, limit: PAGE_SIZE }, signal);
}

/** The page before `seq`, oldest first. */
export function fetchBefore(id: string, seq: number): Promise<StoredMessage[]> {
  return readPage(id, { before: seq, limit: PAGE_SIZE });
}

/** The page after `seq`, oldest first. */
export function fetchAfter(id: string, seq: number, signal?: AbortSignal): Promise<StoredMessage[]> {
  return readPage(id, { since: seq, limit: PAGE_SIZE }, signal);
}

/** A page with `seq` in its middle. */
export function fetchAround(id: string, seq: number, signal?: AbortSignal): Promise<StoredMessage[]> {
  return fetchAfter(id, Math.max(0, seq - PAGE_SIZE / 2 - 1), signal);
}

export function resumeConversation(id: string) {
  return api(httpRoutes.resumeConversation, { params: { id } });
}

/** Searches one conversation, or every conversation the person may read when `conversation` is undefined. */
export function searchMessages(q: string, conversation: string | undefined, before: number | undefined, signal?: AbortSignal): Promise<SearchResponse> {
  return api(httpRoutes.search, { query: { q, conversation, before, limit: 50 }, ...(signal ? { signal } : {}) });
}
