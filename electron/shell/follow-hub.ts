/** Keeping a hook on whichever hub the host runs: each start is a new hub, so a hook must move with it. */
import type { Hub } from '../hub/index.js';
import type { HubHost } from './hub-host.js';

/**
 * Calls `attach` with each hub the host starts, after detaching from the one before (with the function
 * `attach` returned). Returns a function that stops following and detaches.
 */
export function followHub(host: HubHost, attach: (hub: Hub) => () => void): () => void {
  let watched: Hub | undefined;
  let detach: (() => void) | undefined;
  const follow = (): void => {
    const hub = host.hub();
    if (hub === watched) return;
    detach?.();
    detach = undefined;
    watched = hub;
    if (hub !== undefined) detach = attach(hub);
  };
  follow();
  const stopFollowing = host.onChange(follow);
  return () => {
    stopFollowing();
    detach?.();
  };
}
