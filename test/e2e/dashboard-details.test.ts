/**
 * Details of the dashboard a new user notices: search highlights that read as text, unread counts that
 * can be cleared, rates that say their window, tasks and alerts that say what they count. Chromium
 * against the built dashboard a real hub serves, with live agents on real WebSockets.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Agent } from '../../sdk/index.js';
import { BUILT_DASHBOARD, launchChromium, openDashboard, screenshot, showView, type DashboardPage, closeDashboard } from '../helpers/browser.js';
import { agentToken, api, startHub, type TestHub } from '../helpers/hub.js';
import { FAST } from '../helpers/sdk.js';
import { eventually } from '../helpers/wait.js';

let hub: TestHub;
let browser: Browser;
const agents: Agent[] = [];
let dashboard: DashboardPage | undefined;

async function agent(name: string): Promise<Agent> {
  const connected = await connect({ url: hub.wsUrl, token: await agentToken(hub, name), agent: name, stateDir: false, reconnect: FAST });
  agents.push(connected);
  return connected;
}

async function open(): Promise<Page> {
  dashboard = await openDashboard(browser, hub);
  return dashboard.page;
}

beforeAll(async () => {
  hub = await startHub({ taskRetryBaseMs: 10, taskRetryMaxMs: 50 }, { rendererDir: BUILT_DASHBOARD });
  browser = await launchChromium();
  const coder = await agent('coder');
  await coder.send('general', 'Handing the release notes to @planner for the schedule');
  await coder.send('design', 'The onboarding checklist mentions internationalisation twice, which reads oddly');
}, 60_000);

afterEach(async () => {
  const shown = dashboard;
  dashboard = undefined;
  await closeDashboard(shown);
});

afterAll(async () => {
  await Promise.all(agents.map((a) => a.close()));
  await browser?.close();
  await hub?.stop();
});

/** Where a search result's highlighted match sits relative to the text before it, measured in the page. */
interface MatchLayout {
  /** Line boxes the match is drawn in: one for a word that fits on the line. */
  matchLines: number;
  /** The match flows with the text before it: right after it on its line, or at the start of the next line. */
  followsText: boolean;
}

/** The parts of the page's DOM the measurement uses (the tests compile without the DOM's types). */
interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}
interface MeasuredElement {
  parentElement: MeasuredElement;
  ownerDocument: {
    createRange(): { selectNodeContents(node: MeasuredElement): void; setEndBefore(node: MeasuredElement): void; getClientRects(): ArrayLike<Box> };
  };
  getClientRects(): ArrayLike<Box>;
  getBoundingClientRect(): Box;
}

async function matchLayout(page: Page, query: string): Promise<MatchLayout> {
  await page.getByTestId('search-input').fill(query);
  await page.getByTestId('search-input').press('Enter');
  const mark = page.getByTestId('search-result').first().locator('mark').first();
  await mark.waitFor();
  return mark.evaluate((node) => {
    const element = node as unknown as MeasuredElement;
    const snippet = element.parentElement;
    const range = element.ownerDocument.createRange();
    range.selectNodeContents(snippet);
    range.setEndBefore(element);
    const before = Array.from(range.getClientRects()).pop();
    const match = element.getClientRects()[0];
    if (before === undefined || match === undefined) return { matchLines: element.getClientRects().length, followsText: false };
    const sameLine = Math.abs(before.top - match.top) < 2 && Math.abs(before.right - match.left) < 4;
    const nextLine = match.top >= before.bottom - 2 && Math.abs(match.left - snippet.getBoundingClientRect().left) < 4;
    return { matchLines: element.getClientRects().length, followsText: sameLine || nextLine };
  });
}

describe('search results', () => {
  it('highlights a match inline, in the sentence it was found in, for short and long words', async () => {
    const page = await open();
    await showView(page, 'conversations', 'general');
    expect(await matchLayout(page, 'planner')).toEqual({ matchLines: 1, followsText: true });
    await screenshot(page, 'search-highlight-short-light');
    expect(await matchLayout(page, 'internationalisation')).toEqual({ matchLines: 1, followsText: true });
    await screenshot(page, 'search-highlight-long-light');
  });
});

describe('unread conversations', () => {
  it('marks nothing as new on a first visit, clears a count when the conversation is opened, and Mark all read clears the rest', async () => {
    const coder = agents[0] as Agent;
    const page = await open();
    await showView(page, 'conversations', 'general');
    const list = page.getByRole('list', { name: 'Conversations' });
    await list.locator('[data-conversation-id="design"]').waitFor();
    expect(await list.getByTestId('new-dot').count()).toBe(0);
    await expect.poll(() => page.getByTestId('mark-all-read').isDisabled()).toBe(true);

    for (const text of ['one', 'two', 'three']) await coder.send('design', `Palette option ${text}`);
    await coder.send('ops', 'Disk at 80%');
    const designCount = list.locator('[data-conversation-id="design"]').getByTestId('unread-count');
    await designCount.filter({ hasText: '3' }).waitFor();
    await list.locator('[data-conversation-id="ops"]').getByTestId('unread-count').filter({ hasText: '1' }).waitFor();
    await screenshot(page, 'conversations-unread-light');

    await list.locator('[data-conversation-id="design"]').click();
    await page.getByTestId('conversation-pane').getByText('Palette option three').waitFor();
    await designCount.waitFor({ state: 'detached' });

    await page.getByTestId('mark-all-read').click();
    await list.getByTestId('unread-count').first().waitFor({ state: 'detached' });
    expect(await list.getByTestId('new-dot').count()).toBe(0);
    expect(await page.getByTestId('mark-all-read').isDisabled()).toBe(true);

    await page.reload();
    await list.locator('[data-conversation-id="ops"]').waitFor();
    expect(await list.getByTestId('new-dot').count()).toBe(0);
  });
});

describe('overview rates', () => {
  it('says the window of each rate: the last second next to the last minute’s average and the last hour', async () => {
    const page = await open();
    await showView(page, 'overview');
    const card = page.getByRole('region', { name: 'Message rate' });
    await card.getByText('/s in the last second').waitFor();
    await card
      .getByTestId('rate-messages-average')
      .filter({ hasText: /^[\d.,]+ \/s on average over the last 60 seconds$/ })
      .waitFor();
    await card.getByText('Messages in the last hour:').waitFor();
    await screenshot(page, 'overview-rates-light');
  });
});

/** Sends a task and waits until the hub has given up on it. */
async function failedTask(from: Agent, task: Record<string, unknown>): Promise<string> {
  const sent = await from.request({ type: 'task_send', task });
  const taskId = (sent['task'] as { task_id: string }).task_id;
  await eventually(
    async () => ((await api(hub, 'GET', `/api/tasks/${taskId}`)).body['task'] as { state: string }).state === 'failed' || undefined,
    `task ${taskId} to fail`,
    10_000,
  );
  return taskId;
}

/** Whether a locator's box lies inside the visible part of the table's scroll area, and whether that area scrolls sideways. */
async function visibleInTable(page: Page, header: string): Promise<{ inView: boolean; scrollsSideways: boolean }> {
  const scroller = page.locator('.table-scroll').first();
  const area = await scroller.boundingBox();
  const cell = await scroller.getByRole('columnheader', { name: header }).boundingBox();
  const scrollsSideways = await scroller.evaluate((node) => {
    const element = node as unknown as { scrollWidth: number; clientWidth: number };
    return element.scrollWidth > element.clientWidth;
  });
  const inView = area !== null && cell !== null && cell.x >= area.x && cell.x + cell.width <= area.x + area.width + 1;
  return { inView, scrollsSideways };
}

describe('tasks', () => {
  it('shows in the dead letter the attempts a failed task was actually given, and keeps the last column in view beside the task panel', async () => {
    const coder = agents[0] as Agent;
    const worker = await agent('sleeper');
    // Never answers; lets go when the hub takes the task back, so the next offer is taken up again.
    worker.handle('hang', (_task, ctx) => new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('taken back')))));
    worker.handle('explode', () => {
      throw new Error('the build is broken');
    });
    const timedOut = await failedTask(coder, { to: 'sleeper', cmd: 'hang', timeout_ms: 100, max_attempts: 3 });
    const reported = await failedTask(coder, { to: 'sleeper', cmd: 'explode', max_attempts: 3 });

    const page = await open();
    await showView(page, 'tasks', undefined, { view: 'dead-letter' });
    const row = (id: string) => page.locator(`[data-testid="task-row"][data-task-id="${id}"]`);
    await row(timedOut)
      .getByTestId('task-attempts')
      .filter({ hasText: /^3 attempts$/ })
      .waitFor();
    await row(reported)
      .getByTestId('task-attempts')
      .filter({ hasText: /^1 attempt$/ })
      .waitFor();

    await showView(page, 'tasks', timedOut, { view: 'dead-letter' });
    await page.getByTestId('task-detail').waitFor();
    await screenshot(page, 'tasks-dead-letter-with-detail-light');
    expect(await visibleInTable(page, 'Failed')).toEqual({ inView: true, scrollsSideways: false });

    await showView(page, 'tasks', timedOut);
    await page.getByTestId('task-detail').waitFor();
    await row(timedOut).waitFor();
    await screenshot(page, 'tasks-with-detail-light');
    expect(await visibleInTable(page, 'Updated')).toEqual({ inView: true, scrollsSideways: false });
  });
});

describe('alerts', () => {
  it('says what an alert’s count counts', async () => {
    const coder = agents[0] as Agent;
    for (let i = 0; i < 4; i += 1) {
      await coder.trackInteraction(`lookup ${i}`, (tracker) => {
        tracker.tool('search');
        if (i > 0) tracker.fail('Timeout');
      });
    }
    const page = await open();
    await showView(page, 'metrics');
    const alert = page.getByTestId('alert-row').filter({ hasText: 'coder' }).first();
    await alert
      .getByTestId('alert-occurrences')
      .filter({ hasText: /^\d+ checks?$/ })
      .waitFor();
    await page.getByRole('columnheader', { name: 'Checks that found it' }).waitFor();
    await screenshot(page, 'metrics-alerts-light');
  });
});
