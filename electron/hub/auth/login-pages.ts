/**
 * Login pages: a small owner-only HTML file in the data folder that forwards the browser to a login link,
 * so the link's one-time code never shows in a process's argument list (`switchboard open` hands the
 * browser this file instead of the URL). The hub deletes a page when its code is used or expires, and
 * when it stops.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PREFIX = 'login-';
const SUFFIX = '.html';

const escapeAttribute = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A page that goes on to `url` at once, with a link for a browser that does not follow meta refresh. */
export function loginPageHtml(url: string): string {
  const href = escapeAttribute(url);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta http-equiv="refresh" content="0;url=${href}"><title>Opening Switchboard</title></head>
<body><p>Opening the Switchboard dashboard… If nothing happens, <a href="${href}">open it here</a>.</p></body>
</html>
`;
}

export type LoginPages = ReturnType<typeof createLoginPages>;

export function createLoginPages(dir: string) {
  /** Pages not yet deleted: the key their link gave (the code's hash) → file and expiry timer. */
  const pages = new Map<string, { file: string; timer: NodeJS.Timeout }>();

  const isPage = (name: string): boolean => name.startsWith(PREFIX) && name.endsWith(SUFFIX);
  // Pages a crash left behind lead nowhere: their codes lived only in the old hub's memory.
  for (const name of readdirSync(dir).filter(isPage)) rmSync(join(dir, name), { force: true });

  const remove = (key: string): void => {
    const page = pages.get(key);
    if (page === undefined) return;
    pages.delete(key);
    clearTimeout(page.timer);
    rmSync(page.file, { force: true });
  };

  return {
    /** Writes a page forwarding to `url` (mode 0600, a new name every time) and returns its path. */
    write(key: string, url: string, ttlMs: number): string {
      const file = join(dir, `${PREFIX}${randomBytes(12).toString('hex')}${SUFFIX}`);
      writeFileSync(file, loginPageHtml(url), { mode: 0o600, flag: 'wx' });
      const timer = setTimeout(() => remove(key), ttlMs);
      timer.unref();
      pages.set(key, { file, timer });
      return file;
    },
    remove,
    /** Deletes every page left: their codes end with this hub. */
    close(): void {
      for (const key of [...pages.keys()]) remove(key);
    },
  };
}
