/**
 * Loads the open conversation's messages into the store's timeline: the newest page (or the page around a
 * message to jump to), older pages while scrolling up, and the newer pages between a jumped-to page and the
 * live messages (the gap) while scrolling down. Live messages then arrive in the timeline by themselves.
 * At most MAX_LOADED messages stay loaded: the side away from the reader is dropped and paged in again.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { HubRequestError } from '../../api/http.js';
import { toHubError } from '../../components/hub-error-text.js';
import { navigate } from '../../router.js';
import { useStore } from '../../store/store.js';
import { fetchAfter, fetchAround, fetchBefore, fetchNewest, PAGE_SIZE } from './conversation-api.js';
import { countAfter, indexOfSeq } from './seq-search.js';

export interface PageRequest {
  busy: boolean;
  error: HubRequestError | undefined;
}

export interface TimelineLoader {
  status: 'loading' | 'ready' | 'failed';
  error: HubRequestError | undefined;
  hasOlder: boolean;
  older: PageRequest;
  /** The seq after which messages are missing (not loaded yet), or undefined when the timeline is whole. */
  gapAfter: number | undefined;
  gap: PageRequest;
  /** Bumped whenever the timeline should show its newest message. */
  endRequest: number;
  loadOlder(): void;
  fillGap(): void;
  jumpToLatest(): void;
  retry(): void;
  /** The seq of a message on screen, told by the timeline, so trimming keeps the part being read. */
  noteViewport(seq: number): void;
}

const IDLE: PageRequest = { busy: false, error: undefined };

/**
 * The most messages kept loaded. The virtualiser's bookkeeping grows with the rows it holds, so past this
 * (plus some slack, to trim seldom) the side away from the reader is dropped and loads again when scrolled to.
 */
export const MAX_LOADED = 10_000;
const TRIM_SLACK = 1_000;

export function useTimelineLoader(id: string, focusSeq: number | undefined, focusNonce: number): TimelineLoader {
  const [status, setStatus] = useState<TimelineLoader['status']>('loading');
  const [error, setError] = useState<HubRequestError | undefined>(undefined);
  const [hasOlder, setHasOlder] = useState(false);
  const [older, setOlder] = useState<PageRequest>(IDLE);
  const [gapAfter, setGapAfter] = useState<number | undefined>(undefined);
  const [gap, setGap] = useState<PageRequest>(IDLE);
  const [endRequest, setEndRequest] = useState(0);
  const [reloads, setReloads] = useState(0);
  const busy = useRef({ older: false, gap: false });
  const epoch = useStore((s) => s.epoch);
  const failedAtEpoch = useRef<number | undefined>(undefined);
  const viewportSeq = useRef<number | undefined>(undefined);
  const loaded = useStore((s) => (s.openConversation === id ? s.timeline.length : 0));
  // Jumping to a message already on screen needs no fetch: the timeline scrolls to it.
  const focusOnScreen = useStore((s) => focusSeq !== undefined && s.openConversation === id && indexOfSeq(s.timeline, focusSeq) >= 0);

  // Each new request shows as loading from its first render, and is fetched unless its message is on screen.
  const requestKey = `${id} ${focusSeq} ${focusNonce} ${reloads}`;
  const [request, setRequest] = useState({ key: requestKey, fetch: !focusOnScreen });
  if (request.key !== requestKey) {
    setRequest({ key: requestKey, fetch: !focusOnScreen });
    if (!focusOnScreen) setStatus('loading');
  }

  useEffect(() => {
    if (!request.fetch) return;
    const controller = new AbortController();
    (async () => {
      const page = focusSeq === undefined ? await fetchNewest(id, controller.signal) : await fetchAround(id, focusSeq, controller.signal);
      if (controller.signal.aborted) return;
      useStore.getState().showConversation(id, page);
      const last = page[page.length - 1]?.seq;
      const known = useStore.getState().activity[id]?.last_seq ?? 0;
      // A full page after a jump has more after it; so does a newest page when a message arrived while it was fetched.
      const missingNewer = last !== undefined && ((focusSeq !== undefined && page.length === PAGE_SIZE) || known > last);
      setHasOlder(focusSeq === undefined ? page.length === PAGE_SIZE : page.length > 0);
      setGapAfter(missingNewer ? last : undefined);
      setOlder(IDLE);
      setGap(IDLE);
      setError(undefined);
      setStatus('ready');
      if (focusSeq === undefined) setEndRequest((n) => n + 1);
    })().catch((caught: unknown) => {
      if (controller.signal.aborted) return;
      failedAtEpoch.current = useStore.getState().epoch;
      setError(toHubError(caught));
      setStatus('failed');
    });
    return () => controller.abort();
  }, [id, focusSeq, request]);

  // A load that failed while the hub was away is tried again once the link is back.
  useEffect(() => {
    if (status === 'failed' && failedAtEpoch.current !== undefined && epoch > failedAtEpoch.current) setReloads((n) => n + 1);
  }, [epoch, status]);

  // The trim changes the store, outside React, and what the loader knows must change with it: React renders
  // both at once. (Keeping hasOlder and gapAfter in the store beside the timeline would make it one update.)
  /* eslint-disable react-hooks/set-state-in-effect */
  useEffect(() => {
    if (loaded <= MAX_LOADED + TRIM_SLACK) return;
    const timeline = useStore.getState().timeline;
    const reading = viewportSeq.current === undefined ? -1 : indexOfSeq(timeline, viewportSeq.current);
    if (reading < 0 || reading >= timeline.length / 2) {
      // Reading the newer part: the oldest go, and come back as older pages.
      const from = timeline[timeline.length - MAX_LOADED]?.seq ?? 0;
      useStore.getState().trimTimeline(id, from, Number.MAX_SAFE_INTEGER);
      setHasOlder(true);
      if (gapAfter !== undefined && gapAfter < from) setGapAfter(undefined);
    } else {
      // Reading the older part: the newest go, and the gap after what stays loads them again.
      const last = timeline[MAX_LOADED - 1]?.seq ?? 0;
      const to = gapAfter === undefined ? last : Math.min(gapAfter, last);
      useStore.getState().trimTimeline(id, 0, to);
      setGapAfter(to);
    }
  }, [id, loaded, gapAfter]);
  /* eslint-enable react-hooks/set-state-in-effect */

  // Leaving the conversation: live messages count as unread again.
  useEffect(() => () => useStore.getState().showConversation(undefined, []), [id]);

  const loadOlder = useCallback(() => {
    const first = useStore.getState().timeline[0];
    if (busy.current.older || !hasOlder || first === undefined) return;
    busy.current.older = true;
    setOlder({ busy: true, error: undefined });
    // The flag is released before the store changes: that change renders (and may ask for the next page) at once.
    fetchBefore(id, first.seq)
      .then((page) => {
        busy.current.older = false;
        useStore.getState().prependOlder(id, page);
        setHasOlder(page.length === PAGE_SIZE);
        setOlder(IDLE);
      })
      .catch((caught: unknown) => {
        busy.current.older = false;
        setOlder({ busy: false, error: toHubError(caught) });
      });
  }, [id, hasOlder]);

  const fillGap = useCallback(() => {
    if (busy.current.gap || gapAfter === undefined) return;
    const timeline = useStore.getState().timeline;
    // The first message already loaded after the gap (a live one), if any: reaching it closes the gap.
    const nextLoaded = timeline[timeline.length - countAfter(timeline, gapAfter)]?.seq;
    busy.current.gap = true;
    setGap({ busy: true, error: undefined });
    fetchAfter(id, gapAfter)
      .then((page) => {
        busy.current.gap = false;
        const last = page[page.length - 1]?.seq;
        const closed = last === undefined || page.length < PAGE_SIZE || (nextLoaded !== undefined && last >= nextLoaded);
        setGapAfter(closed ? undefined : last);
        setGap(IDLE);
        useStore.getState().mergeMessages(id, page);
      })
      .catch((caught: unknown) => {
        busy.current.gap = false;
        setGap({ busy: false, error: toHubError(caught) });
      });
  }, [id, gapAfter]);

  const jumpToLatest = useCallback(() => {
    if (focusSeq !== undefined) navigate('conversations', id);
    else setReloads((n) => n + 1);
  }, [id, focusSeq]);

  const retry = useCallback(() => setReloads((n) => n + 1), []);
  const noteViewport = useCallback((seq: number) => {
    viewportSeq.current = seq;
  }, []);

  return { status, error, hasOlder, older, gapAfter, gap, endRequest, loadOlder, fillGap, jumpToLatest, retry, noteViewport };
}
