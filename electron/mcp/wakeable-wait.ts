/** A wait that ends early when woken or aborted: how MCP tools block for new messages or tasks. */
export interface Wait {
  /** Resolves when woken, after the time, or when the signal aborts, whichever comes first. */
  done: Promise<void>;
  wake(): void;
}

export function wakeableWait(ms: number, signal: AbortSignal): Wait {
  let wake = (): void => {};
  const done = new Promise<void>((resolve) => {
    const finish = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    const timer = setTimeout(finish, Math.max(0, ms));
    signal.addEventListener('abort', finish, { once: true });
    if (signal.aborted) finish();
    wake = finish;
  });
  return { done, wake };
}
