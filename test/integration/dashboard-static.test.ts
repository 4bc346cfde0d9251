/** The dashboard served by the hub: index.html for pages, cached hashed assets, security headers, nothing outside its folder. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHub, tempDir, type TestHub } from '../helpers/hub.js';
import { errorBody } from '../helpers/raw-http.js';

const INDEX = '<!doctype html><title>Switchboard test page</title><script type="module" src="/assets/app-3f2a1b.js"></script>\n';
const SCRIPT = "console.log('dashboard');\n";
const SECRET = 'a file beside the dashboard folder that must never be served';

interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  text: string;
}

/** One request with exactly this path (no normalising of dots or escapes) and these headers. */
function fetchRaw(port: number, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...options.headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
          resolve({ status: res.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const json = (answer: Answer): unknown => JSON.parse(answer.text);

describe('the dashboard served by the hub', () => {
  let root: string;
  let site: string;
  let hub: TestHub;

  beforeAll(() => {
    root = tempDir('switchboard-site-');
    site = join(root, 'renderer');
    mkdirSync(join(site, 'assets'), { recursive: true });
    writeFileSync(join(site, 'index.html'), INDEX);
    writeFileSync(join(site, 'assets', 'app-3f2a1b.js'), SCRIPT);
    writeFileSync(join(site, 'assets', 'style-9c8d7e.css'), 'body { margin: 0 }\n');
    writeFileSync(join(site, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
    writeFileSync(join(root, 'secret.txt'), SECRET);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  afterEach(async () => hub.stop());

  const csp = (host: string): string =>
    `default-src 'self'; connect-src 'self' ws://${host}; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`;

  const pageOf = (answer: Answer) => ({
    status: answer.status,
    type: answer.headers['content-type'],
    cache: answer.headers['cache-control'],
    csp: answer.headers['content-security-policy'],
    nosniff: answer.headers['x-content-type-options'],
    referrer: answer.headers['referrer-policy'],
    text: answer.text,
  });

  it('answers / and every page path with index.html, never cached, with the security headers', async () => {
    hub = await startHub({}, { rendererDir: site });
    const paths = ['/', '/tasks', '/conversations/general?since=4', '/index.html'];
    const answers = await Promise.all(paths.map((path) => fetchRaw(hub.port, path)));
    const page = {
      status: 200,
      type: 'text/html; charset=utf-8',
      cache: 'no-cache',
      csp: csp(`127.0.0.1:${hub.port}`),
      nosniff: 'nosniff',
      referrer: 'no-referrer',
      text: INDEX,
    };
    expect(answers.map(pageOf)).toEqual(paths.map(() => page));
  });

  it('lets the page open a WebSocket only to the address it was loaded from', async () => {
    hub = await startHub({}, { rendererDir: site });
    const answer = await fetchRaw(hub.port, '/', { headers: { host: `localhost:${hub.port}` } });
    expect(answer.headers['content-security-policy']).toBe(csp(`localhost:${hub.port}`));
  });

  it('serves hashed assets with their type, cached for a year as immutable, and other files uncached', async () => {
    hub = await startHub({}, { rendererDir: site });
    const files = ['/assets/app-3f2a1b.js', '/assets/style-9c8d7e.css', '/favicon.svg'];
    const answers = await Promise.all(files.map((path) => fetchRaw(hub.port, path)));
    expect(
      answers.map((a) => ({
        status: a.status,
        type: a.headers['content-type'],
        cache: a.headers['cache-control'],
        nosniff: a.headers['x-content-type-options'],
      })),
    ).toEqual([
      { status: 200, type: 'text/javascript; charset=utf-8', cache: 'public, max-age=31536000, immutable', nosniff: 'nosniff' },
      { status: 200, type: 'text/css; charset=utf-8', cache: 'public, max-age=31536000, immutable', nosniff: 'nosniff' },
      { status: 200, type: 'image/svg+xml', cache: 'no-cache', nosniff: 'nosniff' },
    ]);
    expect(answers[0]?.text).toBe(SCRIPT);
  });

  it('answers a missing asset with a JSON 404 instead of the page', async () => {
    hub = await startHub({}, { rendererDir: site });
    const answer = await fetchRaw(hub.port, '/assets/app-000000.js');
    expect({ status: answer.status, body: json(answer) }).toEqual({
      status: 404,
      body: errorBody('SB_ERR_NOT_FOUND', 'no file /assets/app-000000.js in the dashboard'),
    });
  });

  it("keeps the hub's own paths and other methods JSON 404s, and answers HEAD without a body", async () => {
    hub = await startHub({}, { rendererDir: site });
    const misses = ['/api/nope', '/api', '/ws/nope', '/metrics/extra', '/mcp/tools', '/login/again'];
    const answers = await Promise.all(misses.map((path) => fetchRaw(hub.port, path, { headers: { authorization: `Bearer ${hub.token}` } })));
    const posted = await fetchRaw(hub.port, '/tasks', { method: 'POST' });
    const head = await fetchRaw(hub.port, '/tasks', { method: 'HEAD' });
    expect({
      misses: answers.map((a) => ({ status: a.status, body: json(a) })),
      posted: { status: posted.status, body: json(posted) },
      head: { status: head.status, type: head.headers['content-type'], length: head.headers['content-length'], text: head.text },
    }).toEqual({
      misses: misses.map((path) => ({ status: 404, body: errorBody('SB_ERR_NOT_FOUND', `no endpoint GET ${path}`) })),
      posted: { status: 404, body: errorBody('SB_ERR_NOT_FOUND', 'no endpoint POST /tasks') },
      head: { status: 200, type: 'text/html; charset=utf-8', length: String(Buffer.byteLength(INDEX)), text: '' },
    });
  });

  it('never serves a file outside its folder, however the path is written', async () => {
    hub = await startHub({}, { rendererDir: site });
    const escapes = [
      '/assets/..%2f..%2fsecret.txt',
      '/..%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/..%2f..%2f..%2fetc%2fpasswd',
    ];
    const normalised = ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt'];
    const refused = await Promise.all(escapes.map((path) => fetchRaw(hub.port, path)));
    const resolvedInside = await Promise.all(normalised.map((path) => fetchRaw(hub.port, path)));
    expect(refused.map((a) => ({ status: a.status, code: (json(a) as { error: { code: string } }).error.code }))).toEqual(
      escapes.map(() => ({ status: 404, code: 'SB_ERR_NOT_FOUND' })),
    );
    // The URL parser folds these dots before the hub sees the path: they name /secret.txt inside the folder, which does not exist.
    expect(resolvedInside.map((a) => a.text.includes(SECRET) || a.text.includes('root:'))).toEqual(normalised.map(() => false));
  });

  it('still refuses a foreign Host or Origin before serving anything', async () => {
    hub = await startHub({}, { rendererDir: site });
    const host = await fetchRaw(hub.port, '/', { headers: { host: `evil.example:${hub.port}` } });
    const origin = await fetchRaw(hub.port, '/assets/app-3f2a1b.js', { headers: { origin: 'http://evil.example' } });
    expect([
      host.status,
      (json(host) as { error: { code: string } }).error.code,
      origin.status,
      (json(origin) as { error: { code: string } }).error.code,
    ]).toEqual([421, 'SB_ERR_HOST', 403, 'SB_ERR_ORIGIN']);
  });

  it('says the dashboard is not built, with 503, when its folder has no index.html', async () => {
    const empty = join(root, 'not-built');
    mkdirSync(empty, { recursive: true });
    hub = await startHub({}, { rendererDir: empty });
    const [home, page, asset] = await Promise.all(['/', '/tasks', '/assets/app-3f2a1b.js'].map((path) => fetchRaw(hub.port, path)));
    expect({
      home: { status: home?.status, type: home?.headers['content-type'], says: home?.text.includes('Build it with <code>npm run build</code>') },
      page: page?.status,
      asset: asset?.status,
    }).toEqual({ home: { status: 503, type: 'text/html; charset=utf-8', says: true }, page: 503, asset: 404 });
  });

  it('looks for the build in dist/renderer beside the compiled hub by default', async () => {
    const repo = fileURLToPath(new URL('../..', import.meta.url));
    const compiled = (await import(pathToFileURL(join(repo, 'dist', 'electron', 'hub', 'http', 'static-site.js')).href)) as { DEFAULT_RENDERER_DIR: string };
    expect(compiled.DEFAULT_RENDERER_DIR).toBe(join(repo, 'dist', 'renderer'));
  });
});
