/**
 * The agents table's Process column: which program on this machine is behind each agent, here a planner
 * running in a child process of its own.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentListing } from '../../shared/index.js';
import { BUILT_DASHBOARD, launchChromium, openDashboard, screenshot, showView } from '../helpers/browser.js';
import { ScriptRun } from '../helpers/cli-process.js';
import { api, startHub, tempFolders, type TestHub } from '../helpers/hub.js';
import { eventually } from '../helpers/wait.js';

/** An agent that connects with Node's own WebSocket, says hello and stays connected. */
const PLANNER = `
const [url, token, agent] = process.argv.slice(2);
const socket = new WebSocket(url);
socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'hello', token, agent })));
socket.addEventListener('message', (event) => {
  if (JSON.parse(event.data).type === 'welcome') console.log('connected');
});
`;

let hub: TestHub;
let browser: Browser;
let planner: ScriptRun;
const folder = tempFolders();

beforeAll(async () => {
  hub = await startHub({}, { rendererDir: BUILT_DASHBOARD });
  browser = await launchChromium();
  const script = join(folder(), 'planner.mjs');
  writeFileSync(script, PLANNER);
  planner = new ScriptRun(process.execPath, [script, hub.wsUrl, hub.token, 'planner'], process.env);
  await planner.until(/connected/);
  await eventually(async () => {
    const agents = (await api(hub, 'GET', '/api/agents')).body['agents'] as AgentListing[];
    return agents.find((agent) => agent.id === 'planner')?.processes.some((found) => 'pid' in found) === true ? true : undefined;
  }, 'the planner’s process to be found');
}, 60_000);

afterAll(async () => {
  planner.child.kill('SIGKILL');
  await browser.close();
  await hub.stop();
});

describe.runIf(process.platform === 'linux')('the agents table', () => {
  it('shows the command and pid of the process behind an agent, with the full command line as its tooltip', async () => {
    const dashboard = await openDashboard(browser, hub);
    const { page } = dashboard;
    await showView(page, 'agents');
    const cell = page.locator('[data-testid="agent-row"][data-agent="planner"] [data-testid="agent-process"]');
    await cell.filter({ hasText: `pid ${planner.child.pid}` }).waitFor();
    await screenshot(page, 'agents-process-light');
    const shown = { text: await cell.innerText(), title: await cell.locator('div').getAttribute('title') };
    await dashboard.close();
    expect({ ...shown, errors: dashboard.errors }).toEqual({
      text: expect.stringMatching(new RegExp(`^node planner\\.mjs ws://127\\.0\\.0\\.1:\\S*… · pid ${planner.child.pid}$`)),
      title: expect.stringContaining(`planner.mjs ${hub.wsUrl} ${hub.token} planner`),
      errors: [],
    });
  });
});
