/**
 * The settings page's Federation section in Chromium: a person sets federation up, sees the hub refuse an
 * address it cannot use, and switches federation off again, each time checked in settings.json on disk.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_DASHBOARD, launchChromium, openDashboard, screenshot, showView, type DashboardPage, closeDashboard } from '../helpers/browser.js';
import { api, startHub, type TestHub } from '../helpers/hub.js';

let hub: TestHub;
let browser: Browser;
let dashboard: DashboardPage | undefined;

const SAVED = { url: 'nats://10.0.0.5:4222', hubId: 'laptop', conversations: ['team-*'], token: 'hub-token' };

const settingsFile = (): Record<string, unknown> => JSON.parse(readFileSync(join(hub.dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>;

/** The settings page, scrolled to the Federation section. */
async function federationSection(): Promise<{ page: Page; section: Locator }> {
  dashboard = await openDashboard(browser, hub);
  const page = dashboard.page;
  await showView(page, 'settings');
  const section = page.getByTestId('settings-group-federation');
  await section.getByTestId('effective-federation').waitFor();
  await section.scrollIntoViewIfNeeded();
  return { page, section };
}

async function save(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Save', exact: true }).click();
}

beforeAll(async () => {
  hub = await startHub({}, { rendererDir: BUILT_DASHBOARD });
  browser = await launchChromium();
}, 60_000);

afterEach(async () => {
  const shown = dashboard;
  dashboard = undefined;
  await closeDashboard(shown);
});

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

describe('the Federation section of the settings page', () => {
  it('sets federation up: the filled-in section lands in settings.json, and the page says it applies after a restart', async () => {
    await api(hub, 'PUT', '/api/settings', { body: { federation: null } });
    const { page, section } = await federationSection();
    expect(await section.getByTestId('effective-federation').textContent()).toBe('In effect: off');

    await section.getByLabel('Share conversations with other hubs').check();
    await section.getByLabel('NATS servers').fill('nats://10.0.0.5:4222\nnats://10.0.0.6:4222');
    await section.getByLabel('Shared conversations').fill('team-*, release');
    const hubId = section.getByLabel('Hub id');
    expect(await hubId.getAttribute('placeholder')).toMatch(/^default \S+$/);
    await hubId.fill('laptop');
    await section.getByLabel('Replicas').fill('3');
    await section.getByLabel('Log in with').selectOption({ label: 'User and password' });
    await section.getByLabel('User', { exact: true }).fill('laptop');
    const password = section.getByLabel('Password', { exact: true });
    await password.fill('s3cret');
    await section.getByLabel('TLS CA file').fill('/etc/nats/ca.pem');
    await screenshot(page, 'settings-federation-light');
    await save(page);

    await page.getByTestId('settings-saved').waitFor();
    expect(await page.getByTestId('restart-required').textContent()).toBe('Federation');
    expect(settingsFile()['federation']).toEqual({
      url: ['nats://10.0.0.5:4222', 'nats://10.0.0.6:4222'],
      hubId: 'laptop',
      conversations: ['team-*', 'release'],
      replicas: 3,
      user: 'laptop',
      password: 's3cret',
      tls: { caFile: '/etc/nats/ca.pem' },
    });
    await section.getByTestId('pending-federation').filter({ hasText: 'on as laptop via nats://10.0.0.5:4222, nats://10.0.0.6:4222' }).waitFor();
    expect({ type: await password.getAttribute('type'), value: await password.inputValue() }).toEqual({ type: 'password', value: 's3cret' });
  });

  it('shows the hub’s message next to the section for an address it cannot use, and keeps settings.json as it was', async () => {
    await api(hub, 'PUT', '/api/settings', { body: { federation: SAVED } });
    const { page, section } = await federationSection();
    const servers = section.getByLabel('NATS servers');
    expect(await servers.inputValue()).toBe('nats://10.0.0.5:4222');
    expect(await section.getByLabel('Token', { exact: true }).inputValue()).toBe('hub-token');

    await servers.fill('http://10.0.0.5:4222');
    await save(page);
    const refused = section.getByTestId('field-error-federation');
    await refused.waitFor();
    expect(await refused.textContent()).toBe('federation.url must be a nats:// or tls:// address such as nats://10.0.0.5:4222');
    await page.getByText('Not saved: Federation was not accepted').waitFor();
    await screenshot(page, 'settings-federation-invalid-light');
    expect(settingsFile()['federation']).toEqual(SAVED);
    // Chromium logs the refused PUT itself; that answer is the one this test asked for, and the only error.
    const errors = (dashboard as DashboardPage).errors;
    expect(errors).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    errors.length = 0;
  });

  it('switches federation off: the section leaves settings.json', async () => {
    await api(hub, 'PUT', '/api/settings', { body: { federation: SAVED, maxConnections: 120 } });
    const { page, section } = await federationSection();
    await section.getByTestId('pending-federation').filter({ hasText: 'on as laptop' }).waitFor();

    await section.getByLabel('Share conversations with other hubs').uncheck();
    expect(await section.getByLabel('NATS servers').count()).toBe(0);
    await save(page);

    await page.getByTestId('settings-saved').filter({ hasText: 'The running hub already uses these values.' }).waitFor();
    await section.getByTestId('pending-federation').waitFor({ state: 'detached' });
    expect(settingsFile()).toEqual({ maxConnections: 120 });
    expect(await section.getByTestId('effective-federation').textContent()).toBe('In effect: off');
  });
});
