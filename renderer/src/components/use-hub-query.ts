/**
 * Fetches from the hub's HTTP API and keeps the answer, refetching when the link reconnects, when
 * `refreshOn` changes, and every `refreshMs` if given.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, HubRequestError, type RequestOptions } from '../api/http.js';
import { useStore } from '../store/store.js';

export interface HubQuery<T> {
  data: T | undefined;
  error: HubRequestError | undefined;
  loading: boolean;
  reload(): void;
}

export function useHubQuery<T>(path: string | undefined, options: RequestOptions & { refreshMs?: number } = {}, refreshOn?: unknown): HubQuery<T> {
  const epoch = useStore((s) => s.epoch);
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<HubRequestError | undefined>(undefined);
  const [loading, setLoading] = useState(path !== undefined);
  const [nonce, setNonce] = useState(0);
  // The latest options for the next fetch; only their query starts one.
  const optionsRef = useRef(options);
  useEffect(() => {
    optionsRef.current = options;
  });
  const queryKey = JSON.stringify(options.query ?? {});

  useEffect(() => {
    if (path === undefined || epoch === 0) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async (): Promise<void> => {
      setLoading(true);
      try {
        const result = await api<T>(path, { ...optionsRef.current, signal: controller.signal });
        setData(result);
        setError(undefined);
      } catch (caught) {
        if ((caught as Error).name === 'AbortError') return;
        setError(caught instanceof HubRequestError ? caught : new HubRequestError(0, 'SB_ERR_INTERNAL', String(caught)));
      } finally {
        if (!controller.signal.aborted) setLoading(false);
      }
      const refreshMs = optionsRef.current.refreshMs;
      if (refreshMs !== undefined && !controller.signal.aborted) timer = setTimeout(() => void run(), refreshMs);
    };
    void run();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [path, queryKey, epoch, nonce, refreshOn]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data, error, loading, reload };
}
