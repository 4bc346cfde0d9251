/**
 * The README's examples running beside `npm run demo` on one real hub, as a person tries them: the
 * Python echo agent in `general` while the demo's team talks there, and a person posting. Nobody may
 * answer anybody in a circle, so the loop breaker never pauses a conversation.
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationInfo, StoredMessage } from '../../shared/index.js';
import { ScriptRun } from '../helpers/cli-process.js';
import { api, startHub, tempDir, type TestHub } from '../helpers/hub.js';
import { eventually } from '../helpers/wait.js';

const PYTHON = process.env['PYTHON'] ?? 'python3';
const ECHO = fileURLToPath(new URL('../../examples/python/echo_agent.py', import.meta.url));
const DEMO = fileURLToPath(new URL('../../dist/scripts/demo.js', import.meta.url));

const running: ChildProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function run(command: string, argv: string[]): ScriptRun {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' };
  delete env['SWITCHBOARD_HOME']; // the caller's shell must not point the scripts at another hub
  const script = new ScriptRun(command, argv, env);
  running.push(script.child);
  return script;
}

async function post(hub: TestHub, content: string): Promise<number> {
  const { status, body } = await api(hub, 'POST', '/api/messages', { body: { conversation_id: 'general', content }, headers: { 'x-agent-name': 'alice' } });
  if (status !== 201) throw new Error(`post refused: ${JSON.stringify(body)}`);
  return (body['message'] as StoredMessage).seq;
}

async function general(hub: TestHub): Promise<StoredMessage[]> {
  return (await api(hub, 'GET', '/api/conversations/general/messages?since=0&limit=1000')).body['messages'] as StoredMessage[];
}

describe('the echo example beside the demo', () => {
  it('answers a person once, leaves the history and the demo’s agents’ answers alone, and no conversation is paused', { timeout: 90_000 }, async () => {
    const hub = await startHub();
    cleanups.push(() => hub.stop());
    const dir = tempDir('switchboard-beside-demo-');
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));

    const history = await post(hub, 'posted before any agent started');
    const demo = run(process.execPath, [DEMO, '--duration', '12', '--data-dir', hub.dataDir]);
    await demo.until(/Agents online/, 'the demo team', 20_000);
    const echo = run(PYTHON, [ECHO, '--data-dir', hub.dataDir, '--conversation', 'general', '--state', join(dir, 'echo.json')]);
    await echo.until(/"since"/, 'the echo agent', 20_000);
    const person = await post(hub, '@planner are you there?');
    await eventually(async () => ((await general(hub)).some((m) => m.in_reply_to === person) ? true : undefined), 'the echo', 20_000);
    expect(await demo.end(60_000)).toBe(0);
    echo.child.kill('SIGINT');
    await echo.end();

    const messages = await general(hub);
    const bySeq = new Map(messages.map((m) => [m.seq, m]));
    const echoes = messages.filter((m) => m.sender === 'echo');
    const conversations = (await api(hub, 'GET', '/api/conversations')).body['conversations'] as ConversationInfo[];
    expect({
      paused: conversations.filter((c) => c.paused !== null).map((c) => c.id),
      answersToPerson: echoes.filter((m) => m.in_reply_to === person).map((m) => m.content),
      historyAnswered: echoes.some((m) => m.in_reply_to === history),
      echoesAnswered: echoes.filter((m) => bySeq.get(m.in_reply_to ?? 0)?.sender === 'echo').length,
      echoesWithoutReplyTo: echoes.filter((m) => m.in_reply_to === undefined).length,
    }).toEqual({
      paused: [],
      answersToPerson: ['echo: @planner are you there?'],
      historyAnswered: false,
      echoesAnswered: 0,
      echoesWithoutReplyTo: 0,
    });
    // The planner answers "@planner" only from the coder: never the person, never the echo of a coder's question.
    expect(messages.filter((m) => m.sender === 'planner' && m.content.startsWith('Nice work.')).length).toBeLessThanOrEqual(
      messages.filter((m) => m.sender === 'coder' && m.content.includes('@planner')).length,
    );
    expect(echoes.length).toBeGreaterThan(1); // it answered the demo's agents too, once each, without a loop
  });
});
