/**
 * Approval of new agents in Chromium: while a new agent name waits, every view shows a banner naming it and
 * the process behind it, and Allow lets the waiting agent in (Deny closes the other one).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BUILT_DASHBOARD,
  closeDashboard,
  launchChromium,
  openDashboard,
  screenshot,
  SCREENSHOT_DIR,
  showView,
  type DashboardPage,
} from '../helpers/browser.js';
import { ScriptRun } from '../helpers/cli-process.js';
import { startHub, tempFolders, type TestHub } from '../helpers/hub.js';

/** An agent with nothing secret on its command line: it takes the hub's address, token and its name from its environment. */
const AGENT = `
const socket = new WebSocket(process.env.HUB_URL);
socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'hello', token: process.env.HUB_TOKEN, agent: process.env.AGENT })));
socket.addEventListener('message', (event) => {
  const frame = JSON.parse(event.data);
  if (frame.type === 'approval_pending') console.log('waiting');
  if (frame.type === 'welcome') console.log('connected');
  if (frame.type === 'error') console.log(frame.code);
});
socket.addEventListener('close', (event) => console.log('closed', event.code));
`;

let hub: TestHub;
let browser: Browser;
let dashboard: DashboardPage | undefined;
const running: ScriptRun[] = [];
const folder = tempFolders();

/** Starts an agent in a child process of its own, `node <agent>.mjs`, and waits until it is told to wait. */
async function startAgent(agent: string): Promise<ScriptRun> {
  const script = join(folder(), `${agent}.mjs`);
  writeFileSync(script, AGENT);
  const run = new ScriptRun(process.execPath, [script], { ...process.env, HUB_URL: hub.wsUrl, HUB_TOKEN: hub.token, AGENT: agent });
  running.push(run);
  await run.until(/waiting/);
  return run;
}

beforeAll(async () => {
  hub = await startHub({ approveNewAgents: true }, { rendererDir: BUILT_DASHBOARD });
  browser = await launchChromium();
}, 60_000);

afterEach(async () => {
  for (const agent of running.splice(0)) agent.child.kill('SIGKILL');
  const shown = dashboard;
  dashboard = undefined;
  await closeDashboard(shown);
});

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

describe.runIf(process.platform === 'linux')('the approval banner', () => {
  it('names each waiting agent and its process on every view; Allow lets it in, Deny closes it, and the Agents view can allow a denied name after all', async () => {
    dashboard = await openDashboard(browser, hub);
    const { page } = dashboard;
    const planner = await startAgent('planner');
    const reviewer = await startAgent('reviewer');

    const banner = page.getByTestId('approval-banner');
    const plannerLine = banner.locator('li[data-agent="planner"]');
    await plannerLine.filter({ hasText: `planner (node planner.mjs, pid ${planner.child.pid}) wants to connect` }).waitFor();
    await banner
      .locator('li[data-agent="reviewer"]')
      .filter({ hasText: `reviewer (node reviewer.mjs, pid ${reviewer.child.pid}) wants to connect` })
      .waitFor();
    expect(await banner.locator('h2').innerText()).toBe('2 new agents want to connect');
    await screenshot(page, 'approval-banner');
    // The README's picture (docs/approval.png): the banner and the first-run offer, the window's full width.
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'approval.png'), clip: { x: 0, y: 0, width: 1280, height: 500 } });
    await showView(page, 'agents');
    await plannerLine.waitFor();

    await plannerLine.getByRole('button', { name: 'Allow' }).click();
    await planner.until(/connected/);
    await banner.locator('li[data-agent="reviewer"]').getByRole('button', { name: 'Deny' }).click();
    await reviewer.until(/SB_ERR_DENIED\nclosed 4003/);
    await banner.waitFor({ state: 'detached' });

    // The Agents view lists the decisions: the denied name can be allowed after all.
    const decisions = page.getByTestId('approvals-section');
    const reviewerRow = decisions.locator('tr[data-agent="reviewer"]');
    await decisions.locator('tr[data-agent="planner"]').filter({ hasText: 'allowed' }).waitFor();
    await reviewerRow.filter({ hasText: 'denied' }).waitFor();
    await reviewerRow.getByRole('button', { name: 'Allow' }).click();
    await reviewerRow.filter({ hasText: 'allowed' }).waitFor();
    await screenshot(page, 'approval-decisions');
  });
});
