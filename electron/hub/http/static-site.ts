/**
 * The dashboard's files (the renderer build) served to a browser: index.html for `/` and for every other
 * page path, since the app routes on the client and /tasks must survive a reload; hashed assets cached
 * for good; nothing outside the folder.
 */
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SwitchboardError } from '../../../shared/index.js';
import { pageHeaders, sendPage } from './html.js';

/**
 * Where `npm run build` puts the renderer, found from this module's place in the compiled layout
 * (dist/electron/hub/http → dist/renderer). Run from source, as under vitest, it points at renderer/:
 * tests name their own folder with the hub option `rendererDir`.
 */
export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../../renderer', import.meta.url));

/** Paths that belong to the hub itself: a miss there is a JSON 404, never the dashboard. */
const HUB_PATHS = ['/api', '/ws', '/metrics', '/mcp', '/login'];

/** Vite names everything under assets/ by its content hash, so a file there never changes. */
const ASSETS = '/assets/';
const CACHE_FOREVER = 'public, max-age=31536000, immutable';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/** The file's bytes if `file` is a regular file; undefined if there is none. */
async function readRegularFile(file: string): Promise<Buffer | undefined> {
  try {
    return (await stat(file)).isFile() ? await readFile(file) : undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

export type StaticSite = ReturnType<typeof createStaticSite>;

export function createStaticSite(dir: string) {
  const root = resolve(dir);

  /** The file a URL path names inside the folder; undefined when it is malformed or would leave the folder. */
  const fileFor = (path: string): string | undefined => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return undefined;
    }
    if (decoded.includes('\0')) return undefined;
    const file = resolve(root, `.${decoded}`);
    const inside = relative(root, file);
    return inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside) ? undefined : file;
  };

  const send = (req: IncomingMessage, res: ServerResponse, file: string, body: Buffer, cache: string): void => {
    res.writeHead(200, {
      ...pageHeaders(req),
      'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': body.length,
      'cache-control': cache,
    });
    res.end(body);
  };

  const sendIndex = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const index = join(root, 'index.html');
    const body = await readRegularFile(index);
    if (body === undefined) {
      sendPage(req, res, 503, 'The dashboard is not built', `There is no dashboard in ${root} yet. Build it with \`npm run build\`, then reload this page.`);
      return;
    }
    send(req, res, index, body, 'no-cache');
  };

  return {
    /** Answers a GET or HEAD for `path`; false when the path is the hub's own, for the router to refuse. */
    async serve(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
      if (HUB_PATHS.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return false;
      if (path === '/') {
        await sendIndex(req, res);
        return true;
      }
      const file = fileFor(path);
      if (file === undefined) throw new SwitchboardError('SB_ERR_NOT_FOUND', `no file ${path} in the dashboard`);
      const body = await readRegularFile(file);
      if (body !== undefined) send(req, res, file, body, path.startsWith(ASSETS) ? CACHE_FOREVER : 'no-cache');
      else if (path.startsWith(ASSETS)) throw new SwitchboardError('SB_ERR_NOT_FOUND', `no file ${path} in the dashboard`);
      else await sendIndex(req, res);
      return true;
    },
  };
}
