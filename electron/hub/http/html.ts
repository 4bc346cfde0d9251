/** The hub's own HTML: the security headers every page gets, and the short pages it writes itself. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Headers for the dashboard and the hub's pages. The page may open a WebSocket only to the address it
 * was loaded from: `Host`, which the guard has already checked against the hub's own addresses.
 */
export function pageHeaders(req: IncomingMessage): Record<string, string> {
  const host = req.headers.host ?? '';
  return {
    'content-security-policy': `default-src 'self'; connect-src 'self' ws://${host}; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A minimal page: a title and one paragraph, in which `code` spans are written between backticks. */
export function sendPage(req: IncomingMessage, res: ServerResponse, status: number, title: string, text: string): void {
  const paragraph = escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Switchboard</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}code{background:#eee;padding:.1em .3em;border-radius:3px}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${paragraph}</p></body>
</html>
`;
  res.writeHead(status, {
    ...pageHeaders(req),
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
  });
  res.end(html);
}
