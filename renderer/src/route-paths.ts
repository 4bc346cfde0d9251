/** Hash routes as text (`#/tasks/t_12`), pure: which view and parameter a hash names, and the hash of a view. */
export const VIEWS = ['overview', 'conversations', 'tasks', 'metrics', 'agents', 'audit', 'settings'] as const;
export type ViewName = (typeof VIEWS)[number];

export interface Route {
  view: ViewName;
  /** The path after the view, e.g. a conversation or task id. */
  param: string | undefined;
  query: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?');
  const [first, ...rest] = path.split('/');
  const view = (VIEWS as readonly string[]).includes(first ?? '') ? (first as ViewName) : 'overview';
  const param = rest.length > 0 && rest.join('/') !== '' ? decodeURIComponent(rest.join('/')) : undefined;
  return { view, param, query: new URLSearchParams(search) };
}

export function href(view: ViewName, param?: string, query?: Record<string, string>): string {
  const search = query === undefined ? '' : `?${new URLSearchParams(query).toString()}`;
  return `#/${view}${param === undefined ? '' : `/${encodeURIComponent(param)}`}${search}`;
}
