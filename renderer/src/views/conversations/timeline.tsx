/**
 * The conversation's messages, virtualised: only the rows on screen are in the page, so a conversation of
 * 100,000 messages scrolls like one of ten. Anchored to the end like a chat: it follows new messages while
 * the person is at the bottom, keeps the reading position when older pages are put in front, and offers a
 * "new messages" button otherwise. Live streams are the last rows, growing as their chunks arrive.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { StoredMessage } from '../../../../shared/index.js';
import { HubErrorText } from '../../components/hub-error-text.js';
import type { LiveStream } from '../../store/live-state.js';
import { MessageRow } from './message-row.js';
import { countAfter, indexOfSeq } from './seq-search.js';
import { StreamBubble } from './stream-bubble.js';
import type { TimelineLoader } from './use-timeline-loader.js';

/** Room above the first row for the "older messages" line. */
const TOP_SPACE = 44;
/** Closer than this to the top loads the page before. */
const LOAD_OLDER_WITHIN_PX = 400;
/** Within this distance of the end counts as "at the bottom" (and keeps following). */
const AT_END_PX = 48;
const HIGHLIGHT_MS = 2500;

export interface TimelineFocus {
  seq: number;
  nonce: number;
}

export interface TimelineProps {
  label: string;
  messages: readonly StoredMessage[];
  streams: readonly LiveStream[];
  ownAgent: string | undefined;
  loader: TimelineLoader;
  focus: TimelineFocus | undefined;
}

export function Timeline({ label, messages, streams, ownAgent, loader, focus }: TimelineProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = messages.length + streams.length;
  // Stable while the rows stay the same: a new key function makes the virtualizer re-measure every row.
  const getItemKey = useCallback(
    (index: number) => messages[index]?.seq ?? `stream:${streams[index - messages.length]?.stream_id ?? index}`,
    [messages, streams],
  );
  // eslint-disable-next-line react-hooks/incompatible-library -- about the React Compiler's memoising; the window is not built with it.
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    // Close to a one-line message as drawn (~70 px): when an estimate is corrected while scrolling, the
    // virtualiser shifts the scroll position by the difference, so a poor guess makes scrolling jumpy.
    estimateSize: () => 70,
    getItemKey,
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: AT_END_PX,
    paddingStart: TOP_SPACE,
    paddingEnd: 8,
    overscan: 8,
  });
  const atEnd = virtualizer.isAtEnd();
  const { payloadsOpen, togglePayload } = useOpenPayloads();
  const highlighted = useFocus(virtualizer.scrollToIndex, messages, focus);
  const newCount = useNewSinceLeftEnd(messages, atEnd, loader.gapAfter !== undefined);

  // Which message is on screen, so trimming a long timeline keeps the part being read.
  const { noteViewport } = loader;
  useEffect(() => {
    const items = virtualizer.getVirtualItems();
    const middle = items[Math.floor(items.length / 2)];
    const seq = middle === undefined ? undefined : messages[middle.index]?.seq;
    if (seq !== undefined) noteViewport(seq);
  });

  // A window or composer resize shrinks the viewport: a reader at the bottom stays there.
  const atEndRef = useRef(atEnd);
  useEffect(() => {
    atEndRef.current = atEnd;
  });
  useEffect(() => {
    const element = scrollRef.current;
    if (element === null) return;
    const observer = new ResizeObserver(() => {
      if (atEndRef.current) virtualizer.scrollToEnd();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [virtualizer]);

  // The newest message on screen when the conversation opens (and when the loader asks for it).
  useLayoutEffect(() => {
    if (loader.endRequest > 0) virtualizer.scrollToEnd();
  }, [loader.endRequest, virtualizer]);

  const { hasOlder, older, loadOlder } = loader;
  const onScroll = useCallback(() => {
    const element = scrollRef.current;
    if (element === null || !hasOlder || older.busy || older.error !== undefined) return;
    if (element.scrollTop < LOAD_OLDER_WITHIN_PX && element.scrollHeight > element.clientHeight) loadOlder();
  }, [hasOlder, older.busy, older.error, loadOlder]);

  const toLatest = (): void => {
    if (loader.gapAfter !== undefined) loader.jumpToLatest();
    else virtualizer.scrollToEnd();
  };

  return (
    <div className="timeline">
      <div ref={scrollRef} className="timeline-scroll" tabIndex={0} role="region" aria-label={label} onScroll={onScroll} data-testid="timeline">
        <div className="timeline-inner" role="feed" aria-busy={loader.status === 'loading'} style={{ height: virtualizer.getTotalSize() }}>
          <div className="timeline-top" style={{ height: TOP_SPACE }}>
            <OlderLine loader={loader} empty={messages.length === 0} />
          </div>
          {virtualizer.getVirtualItems().map((item) => {
            const message = messages[item.index];
            const stream = message === undefined ? streams[item.index - messages.length] : undefined;
            return (
              <article
                key={item.key}
                data-index={item.index}
                ref={virtualizer.measureElement}
                className="timeline-item"
                style={{ transform: `translateY(${item.start}px)` }}
                aria-posinset={item.index + 1}
                aria-setsize={count}
              >
                {message !== undefined ? (
                  <MessageRow
                    message={message}
                    own={message.sender === ownAgent && message.origin_hub === undefined}
                    payloadOpen={payloadsOpen.has(message.seq)}
                    highlighted={highlighted === message.seq}
                    onTogglePayload={togglePayload}
                  />
                ) : stream !== undefined ? (
                  <StreamBubble stream={stream} />
                ) : null}
                {message !== undefined && message.seq === loader.gapAfter ? <GapLine loader={loader} /> : null}
              </article>
            );
          })}
        </div>
      </div>
      {atEnd || (newCount === 0 && loader.gapAfter === undefined) ? null : (
        <button type="button" className="primary timeline-new" onClick={toLatest} data-testid="new-messages">
          {newCount > 0 ? `${newCount.toLocaleString()} new message${newCount === 1 ? '' : 's'} ↓` : 'Latest messages ↓'}
        </button>
      )}
    </div>
  );
}

/** The line above the first loaded message: more to load, loading, the start, or why loading failed. */
function OlderLine({ loader, empty }: { loader: TimelineLoader; empty: boolean }) {
  if (loader.status !== 'ready' || empty) return null;
  if (loader.older.error !== undefined) {
    return (
      <div className="row">
        <HubErrorText error={loader.older.error} />
        <button type="button" onClick={loader.loadOlder}>
          Try again
        </button>
      </div>
    );
  }
  if (loader.older.busy) return <span className="muted">Loading older messages…</span>;
  if (loader.hasOlder) {
    return (
      <button type="button" className="link-button" onClick={loader.loadOlder}>
        Load older messages
      </button>
    );
  }
  return <span className="muted">Beginning of the conversation</span>;
}

/** Shown under the last message of a jumped-to page: the newer ones load as soon as it comes into view. */
function GapLine({ loader }: { loader: TimelineLoader }) {
  const { fillGap, gap } = loader;
  useEffect(() => {
    if (!gap.busy && gap.error === undefined) fillGap();
  }, [fillGap, gap.busy, gap.error]);
  return (
    <div className="timeline-gap" data-testid="timeline-gap">
      {gap.error !== undefined ? (
        <>
          <HubErrorText error={gap.error} />
          <button type="button" onClick={fillGap}>
            Try again
          </button>
        </>
      ) : (
        <span className="muted">Loading newer messages…</span>
      )}
    </div>
  );
}

/** Which large payloads the person opened; kept here because rows unmount when scrolled away. */
function useOpenPayloads(): { payloadsOpen: ReadonlySet<number>; togglePayload(seq: number): void } {
  const [payloadsOpen, setOpen] = useState<ReadonlySet<number>>(() => new Set());
  const togglePayload = useCallback((seq: number) => {
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(seq)) next.delete(seq);
      else next.add(seq);
      return next;
    });
  }, []);
  return { payloadsOpen, togglePayload };
}

/** Scrolls to the focused message once it is loaded and highlights it briefly; returns the highlighted seq. */
function useFocus(
  scrollToIndex: (index: number, options: { align: 'center' }) => void,
  messages: readonly StoredMessage[],
  focus: TimelineFocus | undefined,
): number | undefined {
  // Each focus (a seq and a nonce) is highlighted once, from the render where its message is loaded.
  const [highlight, setHighlight] = useState<{ key: string; seq: number; over: boolean } | undefined>(undefined);
  const key = focus === undefined ? undefined : `${focus.seq}:${focus.nonce}`;
  if (focus !== undefined && key !== undefined && key !== highlight?.key && indexOfSeq(messages, focus.seq) >= 0) {
    setHighlight({ key, seq: focus.seq, over: false });
  }
  const scrolledTo = useRef<string | undefined>(undefined);
  useLayoutEffect(() => {
    if (highlight === undefined || scrolledTo.current === highlight.key) return;
    scrolledTo.current = highlight.key;
    scrollToIndex(indexOfSeq(messages, highlight.seq), { align: 'center' });
  }, [highlight, messages, scrollToIndex]);
  useEffect(() => {
    if (highlight === undefined || highlight.over) return;
    const timer = setTimeout(() => setHighlight({ ...highlight, over: true }), HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [highlight]);
  return highlight === undefined || highlight.over ? undefined : highlight.seq;
}

/**
 * Messages that arrived since the person scrolled away from the bottom. Not counted while pages are
 * missing after a jump (what loads into the gap is history, not news): counting starts once it is closed.
 */
function useNewSinceLeftEnd(messages: readonly StoredMessage[], atEnd: boolean, gapOpen: boolean): number {
  const lastSeq = messages[messages.length - 1]?.seq ?? 0;
  const [leftAt, setLeftAt] = useState<number | undefined>(undefined);
  const counting = atEnd || gapOpen ? undefined : (leftAt ?? lastSeq);
  if (counting !== leftAt) setLeftAt(counting);
  return counting === undefined ? 0 : countAfter(messages, counting);
}
