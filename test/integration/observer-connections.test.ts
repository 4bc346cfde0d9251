/**
 * Tools that watch the hub — `switchboard tail`, a monitor — connect as observers: they read and
 * subscribe like the agent they name, but never come online as an agent, so they stay out of the agents
 * list and the dashboard's redrive menu, and take no task or direct message meant for that agent.
 */
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentInfo, StoredMessage } from '../../shared/index.js';
import { CLI, ScriptRun } from '../helpers/cli-process.js';
import { api, openSocket, useHub, type TestHub } from '../helpers/hub.js';

const ctx = useHub();
const running: ChildProcess[] = [];

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

async function agentIds(hub: TestHub): Promise<string[]> {
  return ((await api(hub, 'GET', '/api/agents')).body['agents'] as AgentInfo[]).map((agent) => agent.id);
}

describe('observer connections', () => {
  it('switchboard tail prints live messages without leaving a cli-tail agent in the agents list', async () => {
    const env = { ...process.env };
    delete env['SWITCHBOARD_HOME'];
    const tail = new ScriptRun(process.execPath, [CLI, 'tail', 'general', '--data-dir', ctx.hub.dataDir], env);
    running.push(tail.child);
    const watcher = ctx.track(await openSocket(ctx.hub.wsUrl));
    await watcher.request({ type: 'hello', token: ctx.hub.token, agent: 'watcher' });
    await watcher.request({ type: 'subscribe', conversations: ['general'], presence: true });
    // The tail subscribes once it is connected: post until a line shows it is listening.
    let n = 0;
    while (!tail.stdout.includes('watching')) {
      await api(ctx.hub, 'POST', '/api/messages', { body: { conversation_id: 'general', content: `watching ${++n}` } });
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (n > 100) throw new Error(`the tail printed nothing: ${tail.stderr}`);
    }
    const whileTailing = await agentIds(ctx.hub);
    const presence = watcher.frames.filter((f) => f.type === 'agent_online').map((f) => (f['agent'] as AgentInfo).id);
    tail.child.kill('SIGTERM');
    expect({ code: await tail.end(), whileTailing, presence, after: await agentIds(ctx.hub) }).toEqual({
      code: 0,
      whileTailing: ['watcher'],
      presence: [],
      after: ['watcher'],
    });
  });

  it('a hello with observer: true is welcomed and gets its subscriptions, but is not online, not offered tasks and leaves the offline queue to the agent', async () => {
    await api(ctx.hub, 'POST', '/api/messages', { body: { to: 'bob', content: 'for bob, when he comes' }, headers: { 'x-agent-name': 'alice' } });
    await api(ctx.hub, 'POST', '/api/tasks', { body: { to: 'bob', cmd: 'verify_chart' }, headers: { 'x-agent-name': 'alice' } });
    const tool = ctx.track(await openSocket(ctx.hub.wsUrl));
    const welcome = await tool.request({ type: 'hello', token: ctx.hub.token, agent: 'bob', observer: true });
    await tool.request({ type: 'subscribe', conversations: ['general'] });
    const posted = await api(ctx.hub, 'POST', '/api/messages', { body: { conversation_id: 'general', content: 'seen by the tool' } });
    const live = (await tool.next('new_message')) as unknown as StoredMessage;
    const listed = await agentIds(ctx.hub);
    const tasks = (await api(ctx.hub, 'GET', '/api/tasks?to=bob')).body['tasks'] as { state: string; assigned_to: string | null }[];
    // Bob himself, connecting afterwards, still finds his direct message waiting.
    const bob = await ctx.admin('bob');
    const queued = (await bob.next((f) => f.type === 'new_message' && f['queued'] === true)) as unknown as StoredMessage;
    expect({
      welcome: welcome.type,
      live: [live.seq, live.content],
      listed,
      toolGot: tool.frames.map((f) => f.type).filter((type) => type !== 'welcome' && type !== 'subscribed' && type !== 'new_message'),
      toolMessages: tool.frames.filter((f) => f.type === 'new_message').length,
      tasks: tasks.map((t) => [t.state, t.assigned_to]),
      queued: queued.content,
    }).toEqual({
      welcome: 'welcome',
      live: [(posted.body['message'] as StoredMessage).seq, 'seen by the tool'],
      // Alice, who posted over HTTP, is an agent the hub knows; bob's observer is not listed.
      listed: ['alice'],
      toolGot: [],
      toolMessages: 1,
      tasks: [['submitted', null]],
      queued: 'for bob, when he comes',
    });
  });
});
