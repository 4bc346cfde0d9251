/**
 * Browser tests: Debian's Chromium driven by playwright-core against the dashboard a real hub serves,
 * signed in through a real login link, with every console error and page error collected.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TestHub } from './hub.js';
import { BROWSER_TIMEOUT_MS } from './timeouts.js';

/** Where screenshots of every view go, for people to look at (CI keeps the folder). */
export const SCREENSHOT_DIR = join('test-output', 'screenshots');

/** The dashboard as built for release (the test run builds it first); the hub serves it to the browser. */
export const BUILT_DASHBOARD = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

export function launchChromium(): Promise<Browser> {
  const executablePath = process.env['SWITCHBOARD_CHROMIUM'] ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `The browser tests drive Chromium, and there is none at ${executablePath}: install it (Debian/Ubuntu: apt-get install chromium) or set SWITCHBOARD_CHROMIUM to a Chromium or Chrome binary.`,
    );
  }
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

export interface DashboardPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

/** Closes a dashboard window, then fails the test if the page logged any console error; nothing without one. */
export async function closeDashboard(dashboard: DashboardPage | undefined): Promise<void> {
  if (dashboard === undefined) return;
  const { errors } = dashboard;
  await dashboard.close();
  expect(errors, 'console errors on the page').toEqual([]);
}

/** A one-time login link from the hub, as `switchboard open` gets it. */
export async function loginLink(hub: TestHub): Promise<string> {
  const response = await fetch(`${hub.http}/api/login-links`, { method: 'POST', headers: { authorization: `Bearer ${hub.token}` } });
  if (response.status !== 201 && response.status !== 200) throw new Error(`login link refused: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { url: string }).url;
}

/**
 * A browser window's worth of state (cookies, storage), in the dashboard's size. Waits give up well before
 * the test's own timeout, so a missing element fails with its locator in the message.
 */
export async function newWindow(browser: Browser, colorScheme: 'light' | 'dark' = 'light'): Promise<BrowserContext> {
  const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 820 } });
  context.setDefaultTimeout(BROWSER_TIMEOUT_MS);
  return context;
}

/** Opens the dashboard signed in (login link → session cookie) and waits until it is connected live. */
export async function openDashboard(browser: Browser, hub: TestHub, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<DashboardPage> {
  const context = await newWindow(browser, options.colorScheme);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(await loginLink(hub));
  await page.getByTestId('link-status').filter({ hasText: 'Connected' }).waitFor();
  return { context, page, errors, close: () => context.close() };
}

/** Goes to a view by its hash route and waits for it to be shown. */
export async function showView(page: Page, view: string, param?: string, query?: Record<string, string>): Promise<void> {
  const hash = `#/${view}${param === undefined ? '' : `/${encodeURIComponent(param)}`}${query === undefined ? '' : `?${new URLSearchParams(query).toString()}`}`;
  // Runs in the page; the test's TypeScript has no DOM types, so reach `location` through globalThis.
  await page.evaluate((next) => {
    (globalThis as unknown as { location: { hash: string } }).location.hash = next;
  }, hash);
  await page.getByTestId(`view-${view}`).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: false });
}
