/**
 * Fetches a route of the hub's HTTP API and keeps the answer, refetching when the link reconnects, when
 * `refreshOn` changes, and every `refreshMs` if given. No route: nothing is fetched.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { routePath, type HttpResponse, type HttpRoute } from '../../../shared/index.js';
import { HubRequestError, send, type PathOptions, type QueryValues, type RequestArguments, type RouteRequest } from '../api/http.js';
import { useStore } from '../store/store.js';

export interface HubQuery<T> {
  data: T | undefined;
  error: HubRequestError | undefined;
  loading: boolean;
  reload(): void;
}

export type QueryOptions<R extends HttpRoute> = PathOptions<R> & {
  query?: QueryValues<R>;
  refreshMs?: number;
  /** A value whose change means the answer is stale. */
  refreshOn?: unknown;
};

export function useHubQuery<R extends HttpRoute>(route: R | undefined, ...[options]: RequestArguments<R, QueryOptions<R>>): HubQuery<HttpResponse<R>> {
  const epoch = useStore((s) => s.epoch);
  const [data, setData] = useState<HttpResponse<R> | undefined>(undefined);
  const [error, setError] = useState<HubRequestError | undefined>(undefined);
  const [loading, setLoading] = useState(route !== undefined);
  const [nonce, setNonce] = useState(0);
  const request = (options ?? {}) as RouteRequest & { refreshMs?: number; refreshOn?: unknown };
  // The latest request for the next fetch; only its path and query start one.
  const requestRef = useRef(request);
  useEffect(() => {
    requestRef.current = request;
  });
  const path = route === undefined ? undefined : routePath(route, request.params ?? {});
  const queryKey = JSON.stringify(request.query ?? {});

  useEffect(() => {
    if (route === undefined || epoch === 0) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async (): Promise<void> => {
      setLoading(true);
      try {
        const { params, query } = requestRef.current;
        const result = await send(route, { ...(params === undefined ? {} : { params }), ...(query === undefined ? {} : { query }), signal: controller.signal });
        setData(result as HttpResponse<R>);
        setError(undefined);
      } catch (caught) {
        if ((caught as Error).name === 'AbortError') return;
        setError(caught instanceof HubRequestError ? caught : new HubRequestError(0, 'SB_ERR_INTERNAL', String(caught)));
      } finally {
        if (!controller.signal.aborted) setLoading(false);
      }
      const refreshMs = requestRef.current.refreshMs;
      if (refreshMs !== undefined && !controller.signal.aborted) timer = setTimeout(() => void run(), refreshMs);
    };
    void run();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [route, path, queryKey, epoch, nonce, request.refreshOn]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data, error, loading, reload };
}
