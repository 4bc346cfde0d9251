/** The hub's conversation endpoints as the conversations view uses them. */
import type { ConversationInfo, StoredMessage } from '../../../../shared/index.js';
import { api } from '../../api/http.js';

/** Messages per page when opening a conversation and when scrolling back. */
export const PAGE_SIZE = 200;
/** A `before` cursor past any seq, for "the newest page". */
const NEWEST = Number.MAX_SAFE_INTEGER;

export interface ConversationList {
  conversations: ConversationInfo[];
}

export interface SearchHit extends StoredMessage {
  /** The matching text with the hub's match markers around each hit. */
  snippet: string;
}

export interface SearchPage {
  results: SearchHit[];
  next_before: number | null;
}

function messagesPath(id: string): string {
  return `/api/conversations/${encodeURIComponent(id)}/messages`;
}

/** The newest page, oldest first. */
export async function fetchNewest(id: string, signal?: AbortSignal): Promise<StoredMessage[]> {
  const page = await api<{ messages: StoredMessage[] }>(messagesPath(id), { query: { before: NEWEST, limit: PAGE_SIZE }, ...(signal ? { signal } : {}) });
  return page.messages;
}

/** The page before `seq`, oldest first. */
export async function fetchBefore(id: string, seq: number): Promise<StoredMessage[]> {
  const page = await api<{ messages: StoredMessage[] }>(messagesPath(id), { query: { before: seq, limit: PAGE_SIZE } });
  return page.messages;
}

/** The page after `seq`, oldest first. */
export async function fetchAfter(id: string, seq: number, signal?: AbortSignal): Promise<StoredMessage[]> {
  const page = await api<{ messages: StoredMessage[] }>(messagesPath(id), { query: { since: seq, limit: PAGE_SIZE }, ...(signal ? { signal } : {}) });
  return page.messages;
}

/** A page with `seq` in its middle. */
export function fetchAround(id: string, seq: number, signal?: AbortSignal): Promise<StoredMessage[]> {
  return fetchAfter(id, Math.max(0, seq - PAGE_SIZE / 2 - 1), signal);
}

export function resumeConversation(id: string): Promise<{ resumed: boolean }> {
  return api<{ resumed: boolean }>(`/api/conversations/${encodeURIComponent(id)}/resume`, { method: 'POST' });
}

/** Searches one conversation, or every conversation the person may read when `conversation` is undefined. */
export function searchMessages(q: string, conversation: string | undefined, before: number | undefined, signal?: AbortSignal): Promise<SearchPage> {
  return api<SearchPage>('/api/search', { query: { q, conversation, before, limit: 50 }, ...(signal ? { signal } : {}) });
}
