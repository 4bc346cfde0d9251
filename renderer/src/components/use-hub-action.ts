/** A request a person starts with a button: whether it is under way, and the hub's error if it failed. */
import { useCallback, useState } from 'react';
import type { HubRequestError } from '../api/http.js';
import { toHubError } from './hub-error-text.js';

export interface HubAction {
  busy: boolean;
  error: HubRequestError | undefined;
  /** Runs the request; resolves to its answer, or undefined when it failed (the error is kept). */
  run<T>(request: () => Promise<T>): Promise<T | undefined>;
  clearError(): void;
}

export function useHubAction(): HubAction {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HubRequestError | undefined>(undefined);
  const run = useCallback(async <T>(request: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await request();
    } catch (caught) {
      setError(toHubError(caught));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  const clearError = useCallback(() => setError(undefined), []);
  return { busy, error, run, clearError };
}
