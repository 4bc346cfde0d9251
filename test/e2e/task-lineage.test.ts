/**
 * A task's story in the dashboard: the task panel's timeline (offers, progress, the question and its answer,
 * the result, each callback attempt, the message about it, the redrive), its jumps to the conversation, the
 * audit entry and the other task, and a message's "what did this cause". Chromium against the built dashboard
 * a real hub serves, with agents on real WebSockets and a callback receiver on 127.0.0.1. Also writes the
 * README's picture of a task's lineage (docs/lineage.png, with SWITCHBOARD_UPDATE_PICTURES=1).
 */
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage, TaskRecord } from '../../shared/index.js';
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
import { startReceiver, type CallbackReceiver } from '../helpers/callback-receiver.js';
import { agentToken, api, connectAgent, startHub, type TestClient, type TestHub } from '../helpers/hub.js';
import { eventually } from '../helpers/wait.js';

/** The README's picture of the task below, drawn by this test: written there when SWITCHBOARD_UPDATE_PICTURES=1, to test-output otherwise. */
const README_PICTURE = process.env['SWITCHBOARD_UPDATE_PICTURES'] === '1' ? 'docs/lineage.png' : join(SCREENSHOT_DIR, 'lineage.png');

let hub: TestHub;
let browser: Browser;
let receiver: CallbackReceiver;
let dashboard: DashboardPage | undefined;
const clients: TestClient[] = [];
/** The task with the whole story, the message it came from, the message about it, and its redrive. */
let story: { task: string; origin: StoredMessage; note: StoredMessage; redrive: string };

const agent = async (name: string): Promise<TestClient> => {
  const client = await connectAgent(hub, name, await agentToken(hub, name));
  clients.push(client);
  return client;
};

const post = async (client: TestClient, message: Record<string, unknown>): Promise<StoredMessage> =>
  (await client.request({ type: 'send_message', ...message }))['message'] as StoredMessage;

const offered = (client: TestClient, taskId: string, attempt: number): Promise<unknown> =>
  client.next((f) => f.type === 'task_assigned' && (f['task'] as TaskRecord).task_id === taskId && f['attempt'] === attempt, { from: 0 });

/** Plays a release-notes hand-off through: an offer that runs out, a second attempt, progress, a question, the result, a callback answered 500 then 200. */
async function playStory(): Promise<typeof story> {
  const lead = await agent('lead');
  const writer = await agent('writer');
  await agent('editor');
  const origin = await post(lead, { conversation_id: 'releases', content: 'Please draft the v2.4 release notes from the merged pull requests' });
  const sent = await lead.request({
    type: 'task_send',
    task: { to: 'writer', cmd: 'draft_release_notes', payload: { version: '2.4' }, in_reply_to: origin.seq, callback_url: `${receiver.url}/release-notes` },
  });
  const task = (sent['task'] as TaskRecord).task_id;
  await offered(writer, task, 1);
  await offered(writer, task, 2);
  await writer.request({ type: 'task_accept', task_id: task });
  await writer.request({ type: 'task_progress', task_id: task, progress: 0.4, message: 'collected 38 merged pull requests' });
  await writer.request({ type: 'task_input_required', task_id: task, question: 'Include the internal refactors?' });
  await lead.request({ type: 'task_input', task_id: task, answer: 'No, user-facing changes only' });
  await writer.next('task_input');
  await writer.request({ type: 'task_progress', task_id: task, progress: 0.9, message: 'grouped into 5 sections' });
  await writer.request({ type: 'task_result', task_id: task, status: 'completed', result: { sections: 5, words: 640 } });
  await eventually(() => (receiver.requests.length === 2 ? true : undefined), 'the callback, answered 500 then 200');
  const note = await post(writer, {
    conversation_id: 'releases',
    content: 'Release notes for v2.4 are ready for review',
    task_id: task,
    in_reply_to: origin.seq,
  });
  const redriven = await api(hub, 'POST', `/api/tasks/${task}/retry`, { body: { to: 'editor' } });
  const redrive = (redriven.body['task'] as TaskRecord).task_id;
  // Settles the story: the callback's answer is stored once the lineage shows it.
  await eventually(async () => {
    const { body } = await api(hub, 'GET', `/api/tasks/${task}/lineage`);
    return (body['entries'] as { detail: Record<string, unknown> }[]).some((e) => e.detail['outcome'] === 'delivered') ? true : undefined;
  }, 'the delivered callback');
  return { task, origin, note, redrive };
}

async function open(): Promise<Page> {
  dashboard = await openDashboard(browser, hub);
  return dashboard.page;
}

/** The kinds of the lineage entries on screen, top to bottom. */
async function kinds(panel: Locator): Promise<string[]> {
  const rows = panel.getByTestId('lineage-entry');
  return rows.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-kind') ?? ''));
}

beforeAll(async () => {
  receiver = await startReceiver((index) => (index === 0 ? 500 : 200));
  hub = await startHub({ taskLeaseMs: 700, taskRetryBaseMs: 10, taskRetryMaxMs: 50, callbackBaseDelayMs: 150 }, { rendererDir: BUILT_DASHBOARD });
  browser = await launchChromium();
  story = await playStory();
}, 60_000);

afterEach(async () => {
  const shown = dashboard;
  dashboard = undefined;
  await closeDashboard(shown);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await browser?.close();
  await hub?.stop();
  await receiver?.close();
});

describe('a task’s lineage in the dashboard', () => {
  it('shows the task’s story as a timeline, oldest first, and hides the actions a finished task no longer has', async () => {
    const page = await open();
    await showView(page, 'tasks', story.task);
    const panel = page.getByTestId('task-detail');
    const lineage = panel.getByTestId('task-lineage');
    await lineage.getByTestId('lineage-entry').first().waitFor();
    expect(await kinds(lineage)).toEqual([
      'origin',
      'created',
      'offered',
      'requeued',
      'offered',
      'accepted',
      'progress',
      'question',
      'answer',
      'progress',
      'completed',
      'callback',
      'callback',
      'message',
      'retried',
    ]);
    await expect.poll(() => lineage.getByTestId('lineage-entry').nth(11).innerText()).toContain('HTTP 500; will retry');
    expect(await lineage.getByTestId('lineage-entry').nth(12).innerText()).toContain('delivered (HTTP 200)');
    expect(await lineage.getByTestId('lineage-entry').first().innerText()).toContain('+0 ms');
    // Finished: no cancel; retry and redrive stay.
    expect(await panel.getByRole('button', { name: 'Cancel', exact: true }).count()).toBe(0);
    expect(await panel.getByRole('button', { name: 'Retry', exact: true }).count()).toBe(1);
    await expect.poll(() => panel.getByRole('button', { name: 'Copy task id' }).count()).toBe(1);

    await page.setViewportSize({ width: 1280, height: 1800 });
    await screenshot(page, 'task-lineage');
    // The README's picture: the lineage alone, in a window narrow enough for the panel to take its whole width.
    await page.setViewportSize({ width: 1040, height: 2400 });
    await panel.locator('section.task-section', { has: page.getByTestId('task-lineage') }).screenshot({ path: README_PICTURE });
  });

  it('jumps from the timeline to the message the task came from, to the audit entry and to the redrive, which links back', async () => {
    const page = await open();
    await showView(page, 'tasks', story.task);
    const lineage = page.getByTestId('task-detail').getByTestId('task-lineage');
    await lineage.getByTestId('lineage-entry').first().waitFor();

    await lineage.locator('[data-kind="origin"] a').click();
    await page.getByTestId('view-conversations').waitFor();
    await page.locator(`[data-testid="message"][data-seq="${story.origin.seq}"].message-highlighted`).waitFor();
    expect(page.url()).toContain(`#/conversations/releases?seq=${story.origin.seq}`);

    await page.goBack();
    await lineage.locator('[data-kind="created"] a').click();
    await page.getByTestId('view-audit').waitFor();
    const focused = page.locator('.audit-entry-focused');
    await focused.waitFor();
    expect(await focused.getAttribute('data-kind')).toBe('task.created');

    await page.goBack();
    await lineage.locator('[data-kind="retried"] a').click();
    const redrive = page.locator(`[data-testid="task-detail"][data-task-id="${story.redrive}"]`);
    await redrive.waitFor();
    const back = redrive.getByTestId('task-lineage').locator('[data-kind="retry_of"] a');
    expect(await back.getAttribute('title')).toBe(story.task);
    await back.click();
    await page.locator(`[data-testid="task-detail"][data-task-id="${story.task}"]`).waitFor();
  });

  it('tells under a message what it caused: the task and its redrive, the reply about it, each a link', async () => {
    const page = await open();
    await showView(page, 'conversations', 'releases', { seq: String(story.origin.seq) });
    const message = page.locator(`[data-testid="message"][data-seq="${story.origin.seq}"]`);
    await message.getByTestId('message-effects-toggle').click();
    const effects = message.getByTestId('message-effects');
    await effects.getByTestId('effect-task').first().waitFor();
    // The redrive is the same work from the same request, so it counts among what the message caused.
    expect(await effects.innerText()).toContain('2 tasks · 1 reply');
    expect(await effects.getByTestId('effect-task').allInnerTexts()).toEqual([
      expect.stringContaining(story.task.slice(-10)),
      expect.stringContaining(story.redrive.slice(-10)),
    ]);
    expect(await effects.getByTestId('effect-reply').innerText()).toContain('Release notes for v2.4 are ready for review');
    // The writer's note says which task it is about.
    expect(await page.locator(`[data-testid="message"][data-seq="${story.note.seq}"]`).getByTestId('message-task').getAttribute('title')).toBe(
      `About task ${story.task}`,
    );
    await screenshot(page, 'message-effects');
    await effects.getByTestId('effect-task').first().locator('a').click();
    await page.locator(`[data-testid="task-detail"][data-task-id="${story.task}"]`).waitFor();
  });
});
