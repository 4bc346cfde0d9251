/**
 * The dashboard end to end: Debian's Chromium against the GUI a real hub serves, with live agents on
 * real WebSockets. Every view renders real data, live changes show up without a reload, and the page
 * logs no errors. Screenshots of every view, light and dark, land in test-output/screenshots.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWindowSession } from '../../electron/shell/window-session.js';
import { connect, type Agent } from '../../sdk/index.js';
import {
  BUILT_DASHBOARD,
  launchChromium,
  loginLink,
  newWindow,
  openDashboard,
  screenshot,
  showView,
  type DashboardPage,
  closeDashboard,
} from '../helpers/browser.js';
import { startReceiver } from '../helpers/callback-receiver.js';
import { damageRunningDatabase } from '../helpers/damage.js';
import { agentToken, api, startHub, tempDir, type TestHub } from '../helpers/hub.js';
import { FAST } from '../helpers/sdk.js';
import { eventually } from '../helpers/wait.js';

let hub: TestHub;
let browser: Browser;
const agents: Agent[] = [];
let dashboard: DashboardPage | undefined;

async function agent(name: string, profile: { kind?: string; capabilities?: string[] } = {}): Promise<Agent> {
  const connected = await connect({ url: hub.wsUrl, token: await agentToken(hub, name), agent: name, stateDir: false, reconnect: FAST, profile });
  agents.push(connected);
  return connected;
}

async function open(options: { colorScheme?: 'light' | 'dark' } = {}): Promise<Page> {
  dashboard = await openDashboard(browser, hub, options);
  return dashboard.page;
}

beforeAll(async () => {
  hub = await startHub({}, { rendererDir: BUILT_DASHBOARD });
  browser = await launchChromium();
  const coder = await agent('coder', { kind: 'coder' });
  const reviewer = await agent('reviewer', { capabilities: ['review'] });
  reviewer.handle('review', (task) => ({ approved: true, pr: (task.payload as { pr: number }).pr }));
  reviewer.handle('explode', () => {
    throw new Error('the build is broken');
  });
  await coder.send('general', 'Starting on the login page', { payload: { ticket: 'SB-1' } });
  await reviewer.send('general', 'I will review it when it is up', { type: 'status', payload: { eta_minutes: 20 } });
  await coder.send('design', 'Which colour for the primary button?');
  for (const cmd of ['review', 'explode']) {
    await coder.request({ type: 'task_send', task: { to: 'reviewer', cmd, payload: { pr: 42 }, max_attempts: 1 } });
  }
  for (let i = 0; i < 4; i += 1) {
    await coder.trackInteraction(`lookup ${i}`, (tracker) => {
      tracker.tool('search');
      if (i > 0) tracker.fail('Timeout');
    });
  }
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

describe('signing in', () => {
  it('turns a one-time login link into a session and keeps the code out of the address bar', async () => {
    const page = await open();
    expect(page.url()).not.toContain('code=');
    const cookies = await dashboard?.context.cookies();
    expect(cookies?.find((c) => c.name === 'switchboard_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });

  it('refuses a login link the second time and tells the person how to get a new one', async () => {
    const link = await loginLink(hub);
    const first = await fetch(link, { redirect: 'manual' });
    expect(first.status).toBe(303);
    const second = await fetch(link, { redirect: 'manual' });
    expect(second.status).toBe(401);
    expect(await second.text()).toContain('switchboard open');
  });
});

describe('overview', () => {
  it('shows the hub, agents online, stored messages and live rates', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const page = await open({ colorScheme: scheme });
      await showView(page, 'overview');
      await page
        .getByTestId('hub-address')
        .filter({ hasText: `127.0.0.1:${hub.port}` })
        .waitFor();
      const online = Number(await page.getByTestId('stat-agents-online').textContent());
      expect(online).toBeGreaterThanOrEqual(2);
      await page.getByTestId('stat-messages').filter({ hasNotText: '—' }).waitFor();
      expect(Number(await page.getByTestId('stat-messages').textContent())).toBeGreaterThanOrEqual(3);
      await page.getByTestId('sparkline-messages').waitFor();
      await screenshot(page, `overview-${scheme}`);
      const shown = dashboard;
      dashboard = undefined;
      await closeDashboard(shown);
    }
  });
});

describe('conversations', () => {
  it('shows an agent message live in the open conversation, with its type and payload', async () => {
    const page = await open();
    await showView(page, 'conversations', 'general');
    const pane = page.getByTestId('conversation-pane');
    await pane.getByTestId('message').filter({ hasText: 'Starting on the login page' }).waitFor();
    await pane.getByText('SB-1').first().waitFor();
    const sent = await (agents[0] as Agent).send('general', 'Login page is up for review');
    await pane.locator(`[data-testid="message"][data-seq="${sent.seq}"][data-sender="coder"]`).filter({ hasText: 'Login page is up for review' }).waitFor();
    await screenshot(page, 'conversations-light');
  });

  it('grows a streamed message as its chunks arrive', async () => {
    const page = await open({ colorScheme: 'dark' });
    await showView(page, 'conversations', 'design');
    const stream = await (agents[1] as Agent).stream('design');
    stream.write('Blue, ');
    const bubble = page.locator('[data-testid="stream"][data-sender="reviewer"]');
    await bubble.filter({ hasText: 'Blue,' }).waitFor();
    stream.write('with white text.');
    await bubble.filter({ hasText: 'Blue, with white text.' }).waitFor();
    await screenshot(page, 'conversations-streaming-dark');
    const stored = await stream.end();
    await page.locator(`[data-testid="message"][data-seq="${stored.seq}"]`).filter({ hasText: 'Blue, with white text.' }).waitFor();
  });

  it('picks up a stream already under way when the conversation opens: the text so far, then the live chunks', async () => {
    const stream = await (agents[1] as Agent).stream('design');
    stream.write('Green, ');
    stream.write('on a dark background, ');
    // The chunks reach the hub over loopback long before the page has loaded and subscribed.
    const page = await open();
    await showView(page, 'conversations', 'design');
    const bubble = page.locator('[data-testid="stream"][data-sender="reviewer"]');
    await bubble.filter({ hasText: 'Green, on a dark background,' }).waitFor();
    stream.write('with a thin border.');
    await bubble.filter({ hasText: 'Green, on a dark background, with a thin border.' }).waitFor();
    await screenshot(page, 'conversations-stream-picked-up');
    const stored = await stream.end();
    expect(stored.content).toBe('Green, on a dark background, with a thin border.');
    await page.locator(`[data-testid="message"][data-seq="${stored.seq}"]`).filter({ hasText: stored.content }).waitFor();
  });

  it('posts as the person and an agent receives it', async () => {
    const received: string[] = [];
    const listener = (agents[0] as Agent).conversation('general').subscribe((message) => {
      if (message.sender === 'user') received.push(message.content);
    });
    const page = await open();
    await showView(page, 'conversations', 'general');
    await page.getByTestId('composer').fill('Please also add a logout button');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.locator('[data-testid="message"][data-sender="user"]').filter({ hasText: 'Please also add a logout button' }).waitFor();
    await eventually(() => (received.includes('Please also add a logout button') ? true : undefined), 'the agent to receive the post');
    listener.close();
  });

  it('finds messages with full-text search', async () => {
    const page = await open();
    await showView(page, 'conversations', 'general');
    await page.getByTestId('search-input').fill('colour');
    await page.getByTestId('search-input').press('Enter');
    const hit = page.locator('[data-testid="search-result"][data-conversation-id="design"]');
    await hit.filter({ hasText: 'primary button' }).waitFor();
    await screenshot(page, 'conversations-search-light');
  });

  it('opens a search result at its message, highlighted', async () => {
    const page = await open();
    await showView(page, 'conversations', 'general');
    await page.getByTestId('search-input').fill('colour');
    await page.getByTestId('search-input').press('Enter');
    await page.locator('[data-testid="search-result"][data-conversation-id="design"]').filter({ hasText: 'primary button' }).click();
    await page.locator('.message-highlighted').filter({ hasText: 'Which colour for the primary button?' }).waitFor();
  });
});

describe('tasks', () => {
  it('lists tasks with their state and changes a chip live when the child finishes', async () => {
    const master = agents[0] as Agent;
    const slow = await agent('slowpoke', { kind: 'slow' });
    let finish: (value: unknown) => void = () => undefined;
    slow.handle('summarise', () => new Promise((resolve) => (finish = resolve)));
    const page = await open();
    await showView(page, 'tasks');
    const sent = await master.request({ type: 'task_send', task: { to: 'slowpoke', cmd: 'summarise', payload: { doc: 'notes.md' } } });
    const taskId = (sent['task'] as { task_id: string }).task_id;
    const row = page.locator(`[data-testid="task-row"][data-task-id="${taskId}"]`);
    await row.getByTestId('task-state').filter({ hasText: 'working' }).waitFor();
    await screenshot(page, 'tasks-light');
    finish({ words: 120 });
    await row.getByTestId('task-state').filter({ hasText: 'completed' }).waitFor();
    await row.click();
    const detail = page.getByTestId('task-detail');
    await detail.getByText('notes.md').first().waitFor();
    await detail.getByText('words').first().waitFor();
    await screenshot(page, 'task-detail-light');
  });

  it('cancels a task from its detail panel', async () => {
    const master = agents[0] as Agent;
    const sent = await master.request({ type: 'task_send', task: { to: 'nobody-yet', cmd: 'later' } });
    const taskId = (sent['task'] as { task_id: string }).task_id;
    const page = await open();
    await showView(page, 'tasks', taskId);
    const detail = page.getByTestId('task-detail');
    await detail.getByLabel('Cancel reason').fill('not needed any more');
    await detail.getByRole('button', { name: 'Cancel', exact: true }).click();
    await detail.getByTestId('task-state').filter({ hasText: 'canceled' }).waitFor();
    const { body } = await api(hub, 'GET', `/api/tasks/${taskId}`);
    expect(body['task']).toMatchObject({ state: 'canceled' });
  });

  it("shows in a task's detail panel how its callback was delivered", async () => {
    const receiver = await startReceiver(() => 204);
    try {
      const master = agents[0] as Agent;
      const sent = await master.request({ type: 'task_send', task: { to: 'nobody-yet', cmd: 'later', callback_url: `${receiver.url}/done` } });
      const taskId = (sent['task'] as { task_id: string }).task_id;
      await api(hub, 'POST', `/api/tasks/${taskId}/cancel`, { body: { reason: 'for the callback' } });
      await eventually(() => (receiver.requests.length === 1 ? true : undefined), 'the callback');
      const page = await open();
      await showView(page, 'tasks', taskId);
      await page.getByTestId('callback-delivery').filter({ hasText: 'delivered after 1 attempt' }).waitFor();
    } finally {
      await receiver.close();
    }
  });

  it('shows failed tasks in the dead letter with their error', async () => {
    const page = await open({ colorScheme: 'dark' });
    await showView(page, 'tasks', undefined, { view: 'dead-letter' });
    await page.getByText('the build is broken').first().waitFor();
    await screenshot(page, 'tasks-dead-letter-dark');
  });
});

describe('agents and tokens', () => {
  it('shows who is online and creates a token, shown once, that an agent can use', async () => {
    const page = await open();
    await showView(page, 'agents');
    await page.locator('[data-testid="agent-row"][data-agent="reviewer"][data-online="true"]').waitFor();
    // The window's own connection (the person, `user`) is shown as the dashboard, not as an agent.
    expect({
      dashboard: (await page.getByTestId('agents-dashboard').textContent())?.includes('The dashboard is connected as user'),
      userRows: await page.locator('[data-testid="agent-row"][data-agent="user"]').count(),
    }).toEqual({ dashboard: true, userRows: 0 });
    await page.getByLabel('Agent', { exact: true }).fill('newcomer');
    await page.getByLabel('Label').fill('from the dashboard');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.getByTestId('token-secret').textContent())?.trim() ?? '';
    expect(secret.length).toBeGreaterThan(20);
    await screenshot(page, 'agents-light');
    const newcomer = await connect({ url: hub.wsUrl, token: secret, stateDir: false, reconnect: FAST });
    agents.push(newcomer);
    expect(newcomer.agent).toBe('newcomer');
    await page.locator('[data-testid="agent-row"][data-agent="newcomer"][data-online="true"]').waitFor();
  });

  it('revokes a token', async () => {
    const { body } = await api(hub, 'POST', '/api/tokens', { body: { agent: 'temporary', label: 'to revoke' } });
    const id = (body['token'] as { id: string }).id;
    const page = await open();
    await showView(page, 'agents');
    const row = page.locator(`[data-testid="token-row"][data-token-id="${id}"]`);
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Confirm revoke' }).click();
    await page.locator(`[data-testid="token-row"][data-token-id="${id}"][data-revoked="true"]`).waitFor();
    const listed = await api(hub, 'GET', '/api/tokens');
    const revoked = (listed.body['tokens'] as { id: string; revoked_at: string | null }[]).find((t) => t.id === id);
    expect(revoked?.revoked_at).not.toBeNull();
  });
});

describe('inside the desktop app', () => {
  it('signs in with a session of its own from the preload bridge (an HttpOnly cookie, no token in the page), and exports a backup and installs the command-line tool through it', async () => {
    // The Electron window gets `window.switchboard` from the preload; here the page gets the same API by script,
    // and signing in does what main does: a new window session from the hub, put in the window's cookie jar.
    const context = await newWindow(browser);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    const authorizations: string[] = [];
    page.on('request', (request) => {
      const header = request.headers()['authorization'];
      if (header !== undefined) authorizations.push(header);
    });
    const windowSession = createWindowSession({ services: () => hub.hub.services });
    await page.exposeFunction('mainSignIn', async () => {
      const cookie = windowSession.renew(hub.http);
      await context.addCookies([{ name: cookie.name, value: cookie.value, url: cookie.url, httpOnly: cookie.httpOnly, sameSite: 'Strict' }]);
    });
    await page.addInitScript(() => {
      const calls: string[] = [];
      const main = globalThis as unknown as { mainSignIn(): Promise<void> };
      Object.assign(globalThis, {
        bridgeCalls: calls,
        switchboard: {
          signIn: async () => {
            calls.push('signIn');
            await main.mainSignIn();
          },
          exportBackup: async () => {
            calls.push('exportBackup');
            return { file: '/home/me/switchboard-backup.db', lastSeq: 7 };
          },
          openDataFolder: async () => void calls.push('openDataFolder'),
          // What main answers for a Linux HOME of /home/me (electron/shell/cli-link.ts).
          cliTool: async () => ({ installed: false, path: '/home/me/.local/bin/switchboard', folder: '/home/me/.local/bin', onPath: true }),
          installCliTool: async () => ({ installed: true, path: '/home/me/.local/bin/switchboard', folder: '/home/me/.local/bin', onPath: false }),
        },
      });
    });
    dashboard = { context, page, errors, close: () => context.close() };
    await page.goto(`${hub.http}/#/settings`);
    await page.getByTestId('link-status').filter({ hasText: 'Connected' }).waitFor();
    const cookies = await context.cookies();
    expect(cookies.map((c) => ({ name: c.name, httpOnly: c.httpOnly, sameSite: c.sameSite, isAdminToken: c.value === hub.token }))).toEqual([
      { name: 'switchboard_session', httpOnly: true, sameSite: 'Strict', isAdminToken: false },
    ]);
    // The page cannot read the session it runs on, and never sent a token.
    expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).toBe('');
    expect(authorizations).toEqual([]);
    await page.getByRole('button', { name: 'Export backup…' }).click();
    await page.getByTestId('backup-note').filter({ hasText: 'Saved /home/me/switchboard-backup.db (messages up to #7).' }).waitFor();
    await page.getByRole('button', { name: 'Open data folder' }).click();
    await page.waitForFunction(() => (globalThis as unknown as { bridgeCalls: string[] }).bridgeCalls.length === 3);
    expect(await page.evaluate(() => (globalThis as unknown as { bridgeCalls: string[] }).bridgeCalls)).toEqual(['signIn', 'exportBackup', 'openDataFolder']);
    await page.getByTestId('setting-backupEvery').scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-desktop-light');
    // Install command-line tool: then the card says the folder is not on the PATH, and gives the MCP config with the absolute command.
    const cliTool = page.getByTestId('settings-cli-tool');
    await cliTool.getByRole('button', { name: 'Install command-line tool' }).click();
    await cliTool.getByRole('button', { name: 'Remove command-line tool' }).waitFor();
    await cliTool.getByText('/home/me/.local/bin is not on your PATH').waitFor();
    expect(JSON.parse(await cliTool.locator('pre').innerText())).toEqual({
      mcpServers: { switchboard: { command: '/home/me/.local/bin/switchboard', args: ['mcp', '--agent', 'assistant'] } },
    });
    await screenshot(page, 'settings-cli-tool-light');
  });
});

describe('a damaged database', () => {
  it('puts a banner on the overview saying the hub is read-only and how to restore', async () => {
    const dataDir = tempDir();
    const bulk = (h: TestHub, i: number): Promise<unknown> =>
      api(h, 'POST', '/api/messages', { body: { conversation_id: 'bulk', content: `${i} ${'long message '.repeat(80)}` } });
    const filled = await startHub({ dataDir }, { rendererDir: BUILT_DASHBOARD });
    await Promise.all(Array.from({ length: 200 }, (_, i) => bulk(filled, i)));
    await filled.stop();
    const own = await startHub({ dataDir }, { rendererDir: BUILT_DASHBOARD });
    try {
      dashboard = await openDashboard(browser, own);
      const { page } = dashboard;
      await showView(page, 'overview');
      await page.getByTestId('stat-messages').filter({ hasNotText: '—' }).waitFor();
      damageRunningDatabase(join(dataDir, 'switchboard.db'));
      expect((await api(own, 'GET', '/api/conversations/bulk/messages?since=0&limit=1000')).status).toBe(503);
      const banner = page.getByTestId('database-banner');
      await banner.filter({ hasText: 'the hub is read-only' }).waitFor({ timeout: 15_000 });
      expect(await banner.textContent()).toContain('Restore backup…');
      await screenshot(page, 'overview-database-damaged-light');
      const shown = dashboard;
      dashboard = undefined;
      await closeDashboard(shown);
    } finally {
      await dashboard?.close();
      dashboard = undefined;
      await own.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('reconnecting', () => {
  it('says when the hub is gone and reconnects by itself when it is back', async () => {
    const dataDir = tempDir();
    let own = await startHub({ dataDir }, { rendererDir: BUILT_DASHBOARD });
    const port = own.port;
    try {
      const session = await openDashboard(browser, own);
      dashboard = session;
      const { page } = session;
      await own.stop();
      await page.getByTestId('link-status').filter({ hasText: 'Reconnecting' }).waitFor();
      await screenshot(page, 'reconnecting-light');
      own = await startHub({ dataDir, port }, { rendererDir: BUILT_DASHBOARD });
      await page.getByTestId('link-status').filter({ hasText: 'Connected' }).waitFor({ timeout: 20_000 });
      await page.getByText('Reconnected to the hub.').waitFor();
      await session.close();
      dashboard = undefined;
      // The browser logs each WebSocket and fetch that the stopping or stopped hub refused or cut; those are expected.
      const hubWasDown = (e: string): boolean =>
        e.includes('WebSocket connection') || /net::ERR_(CONNECTION_(REFUSED|RESET|CLOSED)|SOCKET_NOT_CONNECTED)/.test(e);
      expect(session.errors.filter((e) => !hubWasDown(e))).toEqual([]);
    } finally {
      await own.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 40_000);
});

describe('metrics, audit and settings', () => {
  it('charts what agents reported and acknowledges an alert', async () => {
    const page = await open();
    await showView(page, 'metrics');
    const coderRow = page.locator('[data-testid="agent-metrics-row"][data-agent="coder"]');
    await coderRow.locator('[data-field="count"]').filter({ hasText: '4' }).waitFor();
    await page.getByTestId('chart-requests').waitFor();
    const alert = page.getByTestId('alert-row').filter({ hasText: 'coder' }).first();
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await alert.getByTestId('alert-state').filter({ hasText: 'acknowledged' }).waitFor();
    await screenshot(page, 'metrics-light');
  });

  it('tails the audit log', async () => {
    const page = await open();
    await showView(page, 'audit');
    await page.locator('[data-testid="audit-entry"][data-kind="token_created"]').first().waitFor();
    await (agents[0] as Agent).send('general', 'an entry for the audit tail');
    await page.getByTestId('audit-entry').filter({ hasText: 'an entry for the audit tail' }).first().waitFor();
    await screenshot(page, 'audit-light');
  });

  it('explains an invalid setting next to its field and saves a valid one', async () => {
    const page = await open();
    await showView(page, 'settings');
    await page.getByLabel('Max connections').fill('0');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('field-error-maxConnections').waitFor();
    await screenshot(page, 'settings-invalid-light');
    await page.getByLabel('Max connections').fill('250');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('settings-saved').waitFor();
    const { body } = await api(hub, 'GET', '/api/settings');
    expect(body['file']).toMatchObject({ maxConnections: 250 });
  });

  it('shows the callback secret masked until revealed, and Rotate replaces it in the hub', async () => {
    const page = await open();
    await showView(page, 'settings');
    const before = String((await api(hub, 'GET', '/api/callback-secret')).body['secret']);
    const card = page.getByTestId('settings-callback-secret');
    const shown = card.getByTestId('callback-secret');
    await shown.filter({ hasText: '•' }).waitFor();
    const masked = await shown.textContent();
    await card.getByRole('button', { name: 'Reveal' }).click();
    await shown.filter({ hasText: before }).waitFor();
    await card.getByRole('button', { name: 'Rotate…' }).click();
    await card.getByTestId('rotate-confirm').click();
    await card.getByText('The previous secret also signs until').waitFor();
    const after = String((await api(hub, 'GET', '/api/callback-secret')).body['secret']);
    await shown.filter({ hasText: after }).waitFor();
    expect({ maskedHidesIt: masked?.includes(before.slice(5)) === false, rotated: after !== before }).toEqual({ maskedHidesIt: true, rotated: true });
    await screenshot(page, 'settings-callback-secret-light');
  });
});
