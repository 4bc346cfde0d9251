/** Full-text search over messages (`GET /api/search`): the current query, its results so far, and more pages on request. */
import { useCallback, useRef, useState } from 'react';
import type { SearchHit } from '../../../../shared/index.js';
import type { HubRequestError } from '../../api/http.js';
import { toHubError } from '../../components/hub-error-text.js';
import { searchMessages } from './conversation-api.js';

export interface SearchRequest {
  q: string;
  /** A conversation id, or undefined for every conversation. */
  conversation: string | undefined;
}

export interface MessageSearch {
  request: SearchRequest | undefined;
  results: readonly SearchHit[];
  nextBefore: number | null;
  busy: boolean;
  error: HubRequestError | undefined;
  run(request: SearchRequest): void;
  more(): void;
  clear(): void;
}

export function useMessageSearch(): MessageSearch {
  const [request, setRequest] = useState<SearchRequest | undefined>(undefined);
  const [results, setResults] = useState<readonly SearchHit[]>([]);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HubRequestError | undefined>(undefined);
  // Only the newest request's answer counts; an older one still under way is aborted.
  const inFlight = useRef<AbortController | undefined>(undefined);

  const fetchPage = useCallback((next: SearchRequest, before: number | undefined) => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    setBusy(true);
    setError(undefined);
    searchMessages(next.q, next.conversation, before, controller.signal)
      .then((page) => {
        setResults((current) => (before === undefined ? page.results : [...current, ...page.results]));
        setNextBefore(page.next_before);
        setBusy(false);
      })
      .catch((caught: unknown) => {
        if (controller.signal.aborted) return;
        setError(toHubError(caught));
        setBusy(false);
      });
  }, []);

  const run = useCallback(
    (next: SearchRequest) => {
      setRequest(next);
      setResults([]);
      setNextBefore(null);
      fetchPage(next, undefined);
    },
    [fetchPage],
  );

  const more = useCallback(() => {
    if (request !== undefined && nextBefore !== null) fetchPage(request, nextBefore);
  }, [request, nextBefore, fetchPage]);

  const clear = useCallback(() => {
    inFlight.current?.abort();
    setRequest(undefined);
    setResults([]);
    setNextBefore(null);
    setBusy(false);
    setError(undefined);
  }, []);

  return { request, results, nextBefore, busy, error, run, more, clear };
}
