/**
 * The overview's federation card in Chromium, on hubs federated over a real nats-server: connected, with
 * what the hub published and received; not connected while NATS is down, with what waits to be published;
 * the last error of a hub that cannot reach NATS; and no card at all on a hub without federation.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FederationStatus } from '../../shared/index.js';
import { BUILT_DASHBOARD, launchChromium, openDashboard, screenshot, showView, type DashboardPage, closeDashboard } from '../helpers/browser.js';
import { api, connectAgent, startHub, type TestClient, type TestHub } from '../helpers/hub.js';
import { startNats, type NatsServer } from '../helpers/nats.js';
import { unusedPort } from '../helpers/ports.js';
import { eventually } from '../helpers/wait.js';

let nats: NatsServer;
let laptop: TestHub;
let workstation: TestHub;
let browser: Browser;
const closeAfterAll: { close(): Promise<void> }[] = [];
let dashboard: DashboardPage | undefined;

const federation = (url: string, hubId: string) => ({ federation: { url, hubId, conversations: ['team-*'] } });

async function agent(hub: TestHub, name: string): Promise<TestClient> {
  const client = await connectAgent(hub, name);
  closeAfterAll.push(client);
  return client;
}

async function send(client: TestClient, count: number, prefix: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    expect(await client.request({ type: 'send_message', conversation_id: 'team-x', content: `${prefix}${i}` })).toMatchObject({ type: 'ack' });
  }
}

async function linkStatus(hub: TestHub): Promise<FederationStatus> {
  return (await api(hub, 'GET', '/api/federation')).body['federation'] as FederationStatus;
}

/** Waits until the hub has published and taken in everything, and says how much went across. */
async function caughtUp(hub: TestHub, published: number, received: number): Promise<void> {
  await eventually(
    async () => {
      const link = await linkStatus(hub);
      return link.enabled &&
        link.connected &&
        link.outbox.pending === 0 &&
        link.inbound.pending === 0 &&
        link.published === published &&
        link.received === received
        ? true
        : undefined;
    },
    `${hub.hub.config.federation?.hubId ?? 'the hub'} to have published ${published} and received ${received}`,
    15_000,
  );
}

async function overview(hub: TestHub, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  dashboard = await openDashboard(browser, hub, { colorScheme });
  await showView(dashboard.page, 'overview');
  return dashboard.page;
}

/** The card's figures as the person reads them. */
async function figures(page: Page): Promise<Record<string, string | null>> {
  const card = page.getByTestId('federation-card');
  const text = (id: string) => card.getByTestId(id).textContent();
  return {
    link: await text('federation-link'),
    hub: await text('federation-hub-id'),
    toPublish: await text('federation-outbox'),
    toTakeIn: await text('federation-inbound'),
    published: await text('federation-published'),
    received: await text('federation-received'),
  };
}

beforeAll(async () => {
  nats = await startNats();
  laptop = await startHub(federation(nats.url, 'laptop'), { rendererDir: BUILT_DASHBOARD });
  workstation = await startHub(federation(nats.url, 'workstation'));
  browser = await launchChromium();
}, 60_000);

afterEach(async () => {
  const shown = dashboard;
  dashboard = undefined;
  await closeDashboard(shown);
});

afterAll(async () => {
  for (const closable of closeAfterAll.reverse()) await closable.close();
  await browser?.close();
  await workstation?.stop();
  await laptop?.stop();
  await nats?.stop();
});

describe('the federation card', () => {
  it('shows the link connected to the NATS server, this hub’s id, nothing waiting, and the messages published and received', async () => {
    await send(await agent(laptop, 'planner'), 3, 'from the laptop ');
    await send(await agent(workstation, 'coder'), 2, 'from the workstation ');
    await caughtUp(laptop, 3, 2);
    for (const scheme of ['light', 'dark'] as const) {
      const page = await overview(laptop, scheme);
      const card = page.getByTestId('federation-card');
      await card.getByTestId('federation-received').filter({ hasText: '2' }).waitFor();
      expect(await figures(page)).toEqual({ link: 'connected', hub: 'laptop', toPublish: '0', toTakeIn: '0', published: '3', received: '2' });
      expect(await card.getByTestId('federation-server').textContent()).toContain(nats.url.replace('nats://', ''));
      expect(await card.getByTestId('federation-last-error').textContent()).toBe('No errors since the hub started.');
      await screenshot(page, `overview-federation-${scheme}`);
      const shown = dashboard;
      dashboard = undefined;
      await closeDashboard(shown);
    }
  });

  it('marks the messages that came from another hub in the conversation, with the hub they were sent on', async () => {
    await caughtUp(laptop, 3, 2);
    dashboard = await openDashboard(browser, laptop);
    const { page } = dashboard;
    await showView(page, 'conversations', 'team-x');
    const messages = page.getByTestId('message');
    await messages.nth(4).waitFor();
    const rows = await messages.evaluateAll((nodes) =>
      nodes.map((node) => [node.getAttribute('data-sender'), node.querySelector('[data-testid="message-hub"]')?.textContent ?? 'here']),
    );
    expect(rows).toEqual([
      ['planner', 'here'],
      ['planner', 'here'],
      ['planner', 'here'],
      ['coder', 'on workstation'],
      ['coder', 'on workstation'],
    ]);
    await screenshot(page, 'conversation-federated-light');
    const shown = dashboard;
    dashboard = undefined;
    await closeDashboard(shown);
  });

  it('turns to not connected while NATS is down, counts the local messages waiting, and catches up once NATS is back', async () => {
    const page = await overview(laptop);
    const card = page.getByTestId('federation-card');
    await card
      .getByTestId('federation-link')
      .filter({ hasText: /^connected$/ })
      .waitFor();
    await nats.kill();
    await card.getByTestId('federation-link').filter({ hasText: 'not connected' }).waitFor();
    expect(await card.getByTestId('federation-server').textContent()).toBe(nats.url);

    await send(await agent(laptop, 'writer'), 4, 'while NATS is down ');
    await card.getByTestId('federation-outbox').filter({ hasText: '4' }).waitFor();
    await screenshot(page, 'overview-federation-down-light');

    await nats.start();
    await card
      .getByTestId('federation-link')
      .filter({ hasText: /^connected$/ })
      .waitFor({ timeout: 15_000 });
    await card.getByTestId('federation-published').filter({ hasText: '7' }).waitFor({ timeout: 15_000 });
    expect(await card.getByTestId('federation-outbox').textContent()).toBe('0');
  }, 40_000);

  it('shows the last error and its time on a hub that cannot reach NATS', async () => {
    const nowhere = `nats://127.0.0.1:${await unusedPort()}`;
    const stranded = await startHub(federation(nowhere, 'stranded'), { rendererDir: BUILT_DASHBOARD });
    closeAfterAll.push({ close: () => stranded.stop() });
    await eventually(async () => {
      const link = await linkStatus(stranded);
      return link.enabled && link.last_error !== null ? true : undefined;
    }, 'the stranded hub to report why it cannot reach NATS');
    const page = await overview(stranded);
    const card = page.getByTestId('federation-card');
    expect(await figures(page)).toMatchObject({ link: 'not connected', hub: 'stranded', toTakeIn: '—', published: '0' });
    expect(await card.getByTestId('federation-server').textContent()).toBe(nowhere);
    const lastError = await card.getByTestId('federation-last-error').textContent();
    expect(lastError).toMatch(/^Last error \d.* \((just now|\d+ s ago)\): could not reach NATS: /);
    await screenshot(page, 'overview-federation-unreachable-light');
  });

  it('is not shown on a hub without federation', async () => {
    const plain = await startHub({}, { rendererDir: BUILT_DASHBOARD });
    closeAfterAll.push({ close: () => plain.stop() });
    dashboard = await openDashboard(browser, plain);
    const page = dashboard.page;
    const answered = page.waitForResponse((response) => response.url().endsWith('/api/federation') && response.ok());
    await showView(page, 'overview');
    expect(await (await answered).json()).toMatchObject({ federation: { enabled: false } });
    await page.getByTestId('stat-uptime').filter({ hasNotText: '—' }).waitFor();
    expect(await page.getByTestId('federation-card').count()).toBe(0);
  });
});
