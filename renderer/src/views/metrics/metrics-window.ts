/** The time windows the metrics view offers, each with the rollup bucket that gives its charts a readable number of points. */
import { useEffect, useState } from 'react';
import type { RollupBucketSize } from '../../../../shared/index.js';
import { useStore } from '../../store/store.js';

export interface MetricsWindow {
  id: string;
  label: string;
  ms: number;
  /** The `bucket` of `/api/metrics/rollups`. */
  bucket: RollupBucketSize;
  bucketMinutes: number;
}

export const WINDOWS: readonly MetricsWindow[] = [
  { id: '15m', label: 'Last 15 min', ms: 15 * 60_000, bucket: '1m', bucketMinutes: 1 },
  { id: '1h', label: 'Last hour', ms: 3_600_000, bucket: '1m', bucketMinutes: 1 },
  { id: '24h', label: 'Last 24 h', ms: 86_400_000, bucket: '15m', bucketMinutes: 15 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000, bucket: '1h', bucketMinutes: 60 },
];

export const DEFAULT_WINDOW = '1h';

export function windowById(id: string | null | undefined): MetricsWindow {
  return WINDOWS.find((w) => w.id === id) ?? WINDOWS.find((w) => w.id === DEFAULT_WINDOW) ?? (WINDOWS[0] as MetricsWindow);
}

/** How often the charts and tables refetch. */
export const REFRESH_MS = 15_000;

/**
 * "Now" for the window's queries: moves every REFRESH_MS and on every reconnect, so every query of the
 * view asks about the same span and refetches together (a fresh Date.now() per render would refetch forever).
 */
export function useWindowClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const tick = (): void => setNow(Date.now());
    let timer = setInterval(tick, REFRESH_MS);
    // A reconnect moves the clock at once and starts the interval over.
    const stopWatching = useStore.subscribe((state, previous) => {
      if (state.epoch === previous.epoch) return;
      tick();
      clearInterval(timer);
      timer = setInterval(tick, REFRESH_MS);
    });
    return () => {
      stopWatching();
      clearInterval(timer);
    };
  }, []);
  return now;
}
