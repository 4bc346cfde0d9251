/**
 * Login pages: the owner-only file in the data folder that forwards a browser to a login link, deleted
 * when the code is used, when it expires, and when the hub stops.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, tempDir, type TestHub } from '../helpers/hub.js';
import { openLink } from '../helpers/sessions.js';
import { manualClock, startClockedHub, type ManualClock } from '../helpers/tasks.js';

const MINUTE = 60_000;

describe('login pages', () => {
  let hub: TestHub | undefined;
  let clock: ManualClock;
  const folders: string[] = [];
  const start = async (dataDir = tempDir('switchboard-pages-')): Promise<TestHub> => {
    folders.push(dataDir);
    clock = manualClock(Date.parse('2026-11-22T10:00:00Z'));
    hub = await startClockedHub({ dataDir }, clock);
    return hub;
  };
  afterEach(async () => {
    await hub?.stop();
    hub = undefined;
    for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const pageLink = async (h: TestHub): Promise<{ url: string; page: string }> => {
    const { status, body } = await api(h, 'POST', '/api/login-links', { body: { page: true } });
    if (status !== 201) throw new Error(JSON.stringify(body));
    return { url: body['url'] as string, page: body['page'] as string };
  };
  const pagesIn = (dir: string): string[] => readdirSync(dir).filter((name) => name.startsWith('login-'));

  it('writes an owner-only page in the data folder that forwards to the link, and deletes it when the link is used', async () => {
    const h = await start();
    const { url, page } = await pageLink(h);
    const html = readFileSync(page, 'utf8');
    const before = {
      dir: dirname(page),
      mode: statSync(page).mode & 0o777,
      refresh: html.includes(`<meta http-equiv="refresh" content="0;url=${url}">`),
      link: html.includes(`<a href="${url}">`),
    };
    const opened = await openLink(url);
    expect({ before, opened: opened.status, after: existsSync(page) }).toEqual({
      before: { dir: h.dataDir, mode: 0o600, refresh: true, link: true },
      opened: 303,
      after: false,
    });
  });

  it('deletes a page whose link expired, and writes none unless asked', async () => {
    const h = await start();
    const { page } = await pageLink(h);
    clock.advance(10 * MINUTE);
    const plain = await api(h, 'POST', '/api/login-links');
    expect({ expired: existsSync(page), plain: Object.keys(plain.body).sort(), pages: pagesIn(h.dataDir) }).toEqual({
      expired: false,
      plain: ['expires_at', 'status', 'url'],
      pages: [],
    });
  });

  it('deletes unused pages when the hub stops, and pages a crash left behind when it starts', async () => {
    const dataDir = tempDir('switchboard-pages-');
    const first = await start(dataDir);
    await pageLink(first);
    await pageLink(first);
    const whileRunning = pagesIn(dataDir).length;
    await first.stop();
    hub = undefined;
    const afterStop = pagesIn(dataDir);
    writeFileSync(join(dataDir, 'login-0123456789abcdef01234567.html'), 'left by a crash', { mode: 0o600 });
    await start(dataDir);
    expect({ whileRunning, afterStop, afterStart: pagesIn(dataDir) }).toEqual({ whileRunning: 2, afterStop: [], afterStart: [] });
  });
});
