/**
 * The settings page's Self-test card in Chromium: a person runs the durability self-test, sees it going,
 * then the green result; a run that cannot finish shows red with the reason.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_DASHBOARD, closeDashboard, launchChromium, openDashboard, screenshot, showView, type DashboardPage } from '../helpers/browser.js';
import { startHub, type TestHub } from '../helpers/hub.js';

let browser: Browser;
const hubs: TestHub[] = [];
let dashboard: DashboardPage | undefined;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterEach(async () => {
  const shown = dashboard;
  dashboard = undefined;
  await closeDashboard(shown);
  await Promise.all(hubs.splice(0).map((hub) => hub.stop()));
});

afterAll(async () => {
  await browser?.close();
});

async function selftestCard(hub: TestHub) {
  dashboard = await openDashboard(browser, hub);
  const page = dashboard.page;
  await showView(page, 'settings');
  const card = page.getByTestId('settings-selftest');
  await card.scrollIntoViewIfNeeded();
  return { page, card };
}

describe('the Self-test card of the settings page', () => {
  it('runs the self-test, shows it going, then the green result with its figures, also on the overview', async () => {
    const hub = await startHub({}, { rendererDir: BUILT_DASHBOARD });
    hubs.push(hub);
    const { page, card } = await selftestCard(hub);
    await card.getByText('Not run yet on this hub.').waitFor();
    await card.getByLabel('Messages').fill('300');
    await card.getByTestId('selftest-run').click();
    await card.getByRole('button', { name: 'Running…' }).waitFor();
    expect(await card.getByTestId('selftest-progress').textContent()).toMatch(/^[\d,]+ of 300 messages acknowledged · [0-3] of 3 kills$/);

    const result = card.getByTestId('selftest-result');
    await result.waitFor({ timeout: 45_000 });
    expect(await result.getAttribute('class')).toContain('selftest-ok');
    expect(await result.locator('.selftest-verdict').textContent()).toMatch(
      /^✓ Passed: 0 lost · 0 duplicates · integrity ok · 3 kills · 300 messages in [\d.]+ s$/,
    );
    expect(await result.locator('.muted').textContent()).toBe('Ran just now with 300 messages.');
    expect(await card.getByTestId('selftest-run').textContent()).toBe('Run self-test');
    await card.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'settings-selftest-passed');

    await showView(page, 'overview');
    const line = page.getByTestId('overview-selftest');
    expect(await line.textContent()).toBe('Self-test passed just now');
    await screenshot(page, 'overview-selftest-passed');
    await line.click();
    await page.getByTestId('view-settings').waitFor();
  }, 60_000);

  it('shows a run that could not finish in red, with the reason', async () => {
    const broken = { command: process.execPath, args: ['-e', 'process.exit(3)', '--'] };
    const hub = await startHub({}, { rendererDir: BUILT_DASHBOARD, selftest: { command: broken } });
    hubs.push(hub);
    const { page, card } = await selftestCard(hub);
    await card.getByTestId('selftest-run').click();
    const result = card.getByTestId('selftest-result');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.getAttribute('class')).toContain('selftest-failed');
    expect(await result.locator('.selftest-verdict').textContent()).toBe('✗ Failed: did not finish: the scratch hub exited with 3');
    expect(await result.textContent()).toContain('It stopped after 0 acknowledged messages and 0 of 3 kills; the database was not checked.');
    await card.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'settings-selftest-failed');
  }, 60_000);
});
