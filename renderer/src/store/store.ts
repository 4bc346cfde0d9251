/** The window's one zustand store: live state from the hub plus the few actions views call. */
import { create } from 'zustand';
import type { StoredMessage } from '../../../shared/index.js';
import { applyLiveItems, initialLiveState, markConversationsRead, tickRates, type LinkStatus, type LiveItem, type LiveState } from './live-state.js';

export interface LiveActions {
  applyItems(items: readonly LiveItem[]): void;
  tick(): void;
  setLink(link: LinkStatus, note?: string): void;
  /** A (re)connect: views watching `epoch` refetch. */
  connected(session: { agent: string; admin: boolean }): void;
  /** Opens a conversation in the timeline with its newest page; clears its unread count. */
  showConversation(id: string | undefined, newest: StoredMessage[]): void;
  /** Conversations the person has read: their unread counts go and they count as seen up to their newest message. */
  markRead(ids: readonly string[]): void;
  /** Older messages fetched while scrolling up, put in front of the timeline. */
  prependOlder(id: string, older: StoredMessage[]): void;
  /** Messages fetched to fill a gap in the timeline (after a jump to an older message), merged in by seq. */
  mergeMessages(id: string, messages: StoredMessage[]): void;
  /** Keeps only the timeline's messages with `from <= seq <= to`, so a long read does not hold every message loaded. */
  trimTimeline(id: string, from: number, to: number): void;
  /** Conversations' last seqs as listed by the hub, and the last seq the person saw in each (kept by the view). */
  seedActivity(list: { id: string; last_seq: number; paused: boolean }[], seen: Record<string, number>): void;
}

export type Store = LiveState & LiveActions;

export const useStore = create<Store>()((set, get) => ({
  ...initialLiveState(),
  applyItems: (items) => set((state) => applyLiveItems(state, items)),
  tick: () => set((state) => tickRates(state)),
  setLink: (link, note) => set({ link, linkNote: note }),
  connected: (session) => set((state) => ({ session, link: 'connected', linkNote: undefined, epoch: state.epoch + 1 })),
  showConversation: (id, newest) =>
    set((state) => ({
      openConversation: id,
      timeline: newest,
      activity: id === undefined ? state.activity : markConversationsRead(state.activity, [id]),
    })),
  markRead: (ids) => set((state) => ({ activity: markConversationsRead(state.activity, ids) })),
  prependOlder: (id, older) => {
    const state = get();
    if (state.openConversation !== id || older.length === 0) return;
    const first = state.timeline[0]?.seq ?? Number.POSITIVE_INFINITY;
    set({ timeline: [...older.filter((m) => m.seq < first), ...state.timeline] });
  },
  mergeMessages: (id, messages) => {
    const state = get();
    if (state.openConversation !== id || messages.length === 0) return;
    set({ timeline: mergeBySeq(state.timeline, messages) });
  },
  trimTimeline: (id, from, to) => {
    const state = get();
    if (state.openConversation !== id) return;
    set({ timeline: state.timeline.filter((m) => m.seq >= from && m.seq <= to) });
  },
  seedActivity: (list, seen) =>
    set((state) => {
      const activity = { ...state.activity };
      for (const conversation of list) {
        const known = activity[conversation.id];
        activity[conversation.id] = {
          last_seq: Math.max(conversation.last_seq, known?.last_seq ?? 0),
          unread: known?.unread ?? 0,
          seen_seq: Math.max(known?.seen_seq ?? 0, seen[conversation.id] ?? 0),
          paused: conversation.paused,
        };
      }
      return { activity };
    }),
}));

/** Two seq-ordered lists as one, each seq once. */
function mergeBySeq(a: readonly StoredMessage[], b: readonly StoredMessage[]): StoredMessage[] {
  const merged: StoredMessage[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const left = a[i];
    const right = b[j];
    const next = right === undefined || (left !== undefined && left.seq <= right.seq) ? left : right;
    if (next === undefined) break;
    if (next === left) i += 1;
    else j += 1;
    if (next.seq !== merged[merged.length - 1]?.seq) merged.push(next);
  }
  return merged;
}
