/**
 * Hash routes (`#/tasks/t_12`), so the same build works served by the hub and loaded by the desktop shell.
 */
import { useSyncExternalStore } from 'react';
import { href, parseRoute, type Route, type ViewName } from './route-paths.js';

export { href, parseRoute, VIEWS, type Route, type ViewName } from './route-paths.js';

export function navigate(view: ViewName, param?: string, query?: Record<string, string>): void {
  window.location.hash = href(view, param, query);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
