/** The audit trail on a real hub: `/api/relay/logs` (seed), the JSON Lines export, and `switchboard export audit`. */
import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/index.js';
import { createHub } from '../../electron/hub/hub.js';
import { silentLogger } from '../../electron/common/logger.js';
import { runCli, serveCli } from '../helpers/cli-process.js';
import { agentToken, api, tempDir, useHub, type TestHub } from '../helpers/hub.js';
import { publish } from '../helpers/messages.js';

/**
 * A hub before each test whose clock never gives the same millisecond twice, so every entry has a time
 * of its own and the trail's order is exactly the order things were done in.
 */
function useTickingHub(): { readonly hub: TestHub } {
  let current: TestHub | undefined;
  beforeEach(async () => {
    let last = 0;
    const dataDir = tempDir();
    const hub = createHub({ port: 0, dataDir }, { logger: silentLogger, clock: { now: () => (last = Math.max(Date.now(), last + 1)) } });
    const started = await hub.start();
    const http = `http://127.0.0.1:${started.port}`;
    const stop = async (): Promise<void> => {
      await hub.stop();
      rmSync(dataDir, { recursive: true, force: true });
    };
    current = { hub, port: started.port, token: started.connection.token, dataDir, http, wsUrl: `ws://127.0.0.1:${started.port}/ws`, stop };
  });
  afterEach(async () => {
    await current?.stop();
    current = undefined;
  });
  return {
    get hub(): TestHub {
      if (current === undefined) throw new Error('the hub runs only inside a test');
      return current;
    },
  };
}

type Hub = Pick<TestHub, 'http' | 'token'>;

async function post(hub: TestHub, conversationId: string, content: string, token?: string): Promise<void> {
  const { status, body } = await api(hub, 'POST', '/api/messages', {
    body: { conversation_id: conversationId, content },
    ...(token === undefined ? {} : { token }),
  });
  if (status !== 201) throw new Error(`posting failed: ${JSON.stringify(body)}`);
}

async function logs(hub: TestHub, query = '', token?: string): Promise<AuditEntry[]> {
  const { status, body } = await api(hub, 'GET', `/api/relay/logs${query}`, token === undefined ? {} : { token });
  if (status !== 200 || body['status'] !== 'ok') throw new Error(`reading the logs failed: ${JSON.stringify(body)}`);
  return body['logs'] as AuditEntry[];
}

/** The export's raw answer, with the admin token unless another is given. */
async function exportTrail(hub: Hub, query = '', token: string | null = hub.token): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${hub.http}/api/audit/export${query}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

/** JSON Lines into objects; every line must be one JSON object, and the text must end with a newline. */
function parseLines(text: string): AuditEntry[] {
  if (text === '') return [];
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as AuditEntry);
}

const summary = (entries: AuditEntry[]): string[] => entries.map((e) => (e.source === 'message' ? `${e.conversation_id}: ${e.content}` : e.kind));

describe('GET /api/relay/logs', () => {
  const ctx = useTickingHub();

  it('merges hub events and messages into one trail in time order, newest last', async () => {
    const hub = ctx.hub;
    await post(hub, 'general', 'first');
    const created = await api(hub, 'POST', '/api/tokens', { body: { agent: 'coder' } });
    await post(hub, 'general', 'second');
    await api(hub, 'GET', '/api/agents', { token: 'not-a-token' });
    await api(hub, 'POST', '/api/conversations', { body: { conversation_id: 'design' } });
    await post(hub, 'design', 'third');
    const time = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const message = (seq: number, conversation: string, content: string): Record<string, unknown> => ({
      ts: time,
      id: `m_${seq}`,
      source: 'message',
      kind: 'message',
      actor: 'user',
      subject: conversation,
      seq,
      conversation_id: conversation,
      sender: 'user',
      message_type: 'message',
      content,
    });
    const entries = await logs(hub);
    expect(entries).toEqual([
      { ts: time, id: 'e_1', source: 'event', kind: 'hub_started', actor: null, subject: null, port: hub.port, host: '127.0.0.1', pid: process.pid },
      message(1, 'general', 'first'),
      {
        ts: time,
        id: 'e_2',
        source: 'event',
        kind: 'token_created',
        actor: 'user',
        subject: (created.body['token'] as { id: string }).id,
        agent: 'coder',
        admin: false,
      },
      message(2, 'general', 'second'),
      {
        ts: time,
        id: 'e_3',
        source: 'event',
        kind: 'auth_failure',
        actor: null,
        subject: 'http GET /api/agents',
        reason: 'unknown or revoked token',
        peer: '127.0.0.1',
        count: 1,
      },
      { ts: time, id: 'e_4', source: 'event', kind: 'conversation_created', actor: 'user', subject: 'design' },
      message(3, 'design', 'third'),
    ]);
    const times = entries.map((e) => Date.parse(e.ts));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('records auth failures and token creation and revocation without any token secret', async () => {
    const hub = ctx.hub;
    const created = await api(hub, 'POST', '/api/tokens', { body: { agent: 'coder', label: 'laptop' } });
    const { id, token } = created.body['token'] as { id: string; token: string };
    expect((await api(hub, 'GET', '/api/agents', { token })).status).toBe(200);
    expect((await api(hub, 'DELETE', `/api/tokens/${id}`)).status).toBe(200);
    expect((await api(hub, 'GET', '/api/agents', { token })).status).toBe(401);
    expect((await api(hub, 'GET', '/api/relay/logs', { token: null })).status).toBe(401);
    const entries = await logs(hub);
    expect(entries.slice(1).map((e) => ({ kind: e.kind, actor: e.actor, subject: e.subject, reason: e.source === 'event' ? e['reason'] : e.content }))).toEqual(
      [
        { kind: 'token_created', actor: 'user', subject: id, reason: undefined },
        { kind: 'token_revoked', actor: 'user', subject: id, reason: undefined },
        { kind: 'auth_failure', actor: null, subject: 'http GET /api/agents', reason: 'unknown or revoked token' },
        { kind: 'auth_failure', actor: null, subject: 'http GET /api/relay/logs', reason: 'missing token' },
      ],
    );
    const exported = (await exportTrail(hub)).text;
    for (const secret of [token, hub.token]) {
      expect(JSON.stringify(entries)).not.toContain(secret);
      expect(exported).not.toContain(secret);
    }
  });

  it('returns the newest entries, newest last: 50 by default, or `limit` of them', async () => {
    const hub = ctx.hub;
    for (let i = 0; i < 60; i++) await post(hub, 'room', `m${i}`);
    const newest = (n: number): string[] => Array.from({ length: n }, (_, i) => `room: m${60 - n + i}`);
    expect({ byDefault: summary(await logs(hub)), three: summary(await logs(hub, '?limit=3')) }).toEqual({ byDefault: newest(50), three: newest(3) });
  });

  it('leaves out messages of members-only conversations the token’s agent is not a member of', async () => {
    const hub = ctx.hub;
    await api(hub, 'POST', '/api/conversations', { body: { conversation_id: 'secret', members: ['alice'] } });
    await post(hub, 'secret', 'for alice');
    await post(hub, 'general', 'for everyone');
    const forAlice = await logs(hub, '', await agentToken(hub, 'alice'));
    const forBob = await logs(hub, '', await agentToken(hub, 'bob'));
    const messages = (entries: AuditEntry[]): string[] => summary(entries.filter((e) => e.source === 'message'));
    expect({ alice: messages(forAlice), bob: messages(forBob) }).toEqual({
      alice: ['secret: for alice', 'general: for everyone'],
      bob: ['general: for everyone'],
    });
  });

  it('refuses a bad limit or since with 400 naming the parameter', async () => {
    const hub = ctx.hub;
    const refused = async (path: string): Promise<[number, string, string]> => {
      const { status, body } = await api(hub, 'GET', path);
      const error = body['error'] as { code: string; message: string };
      return [status, error.code, error.message.split(':')[1]?.trim() ?? ''];
    };
    const answers = await Promise.all(
      [
        '/api/relay/logs?limit=0',
        '/api/relay/logs?limit=1001',
        '/api/relay/logs?limit=ten',
        '/api/audit/export?since=yesterday',
        '/api/audit/export?since=-5',
      ].map(refused),
    );
    expect(answers).toEqual([
      [400, 'SB_ERR_VALIDATION', 'limit'],
      [400, 'SB_ERR_VALIDATION', 'limit'],
      [400, 'SB_ERR_VALIDATION', 'limit'],
      [400, 'SB_ERR_VALIDATION', 'since'],
      [400, 'SB_ERR_VALIDATION', 'since'],
    ]);
  });
});

describe('GET /api/audit/export', () => {
  const ctx = useTickingHub();

  it('answers every entry as JSON Lines, oldest first, the same entries as the logs', async () => {
    const hub = ctx.hub;
    await post(hub, 'general', 'one');
    await api(hub, 'GET', '/api/agents', { token: 'wrong' });
    await post(hub, 'general', 'two');
    const exported = await exportTrail(hub);
    expect({ status: exported.status, type: exported.type }).toEqual({ status: 200, type: 'application/x-ndjson; charset=utf-8' });
    expect(parseLines(exported.text)).toEqual(await logs(hub, '?limit=1000'));
    expect(summary(parseLines(exported.text))).toEqual(['hub_started', 'general: one', 'auth_failure', 'general: two']);
  });

  it('starts at `since`, given as an ISO time or as milliseconds', async () => {
    const hub = ctx.hub;
    for (let i = 0; i < 5; i++) await post(hub, 'general', `m${i}`);
    const all = parseLines((await exportTrail(hub)).text);
    const from = all[3] as AuditEntry;
    const since = async (value: string): Promise<AuditEntry[]> => parseLines((await exportTrail(hub, `?since=${encodeURIComponent(value)}`)).text);
    expect({
      iso: await since(from.ts),
      ms: await since(String(Date.parse(from.ts))),
      future: await since('2999-01-01T00:00:00Z'),
    }).toEqual({ iso: all.slice(3), ms: all.slice(3), future: [] });
  });

  it('is for the admin token only: 403 for an agent token, 401 without one', async () => {
    const hub = ctx.hub;
    const agent = await exportTrail(hub, '', await agentToken(hub, 'alice'));
    const anonymous = await exportTrail(hub, '', null);
    expect([agent.status, JSON.parse(agent.text).error.code, anonymous.status]).toEqual([403, 'SB_ERR_FORBIDDEN', 401]);
  });
});

describe('a large export', () => {
  const ctx = useHub();

  it('streams 20,000 messages completely while the hub goes on storing messages', async () => {
    const alice = await ctx.admin('alice');
    const text = 'x'.repeat(1000);
    for (let i = 0; i < 4; i++) await publish(alice, 'bulk', 5000, () => text);
    const response = await fetch(`${ctx.hub.http}/api/audit/export`, { headers: { authorization: `Bearer ${ctx.hub.token}` } });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let received = '';
    const first = await reader.read();
    received += decoder.decode(first.value, { stream: true });
    // The export is held back by this reader now; the hub must still store and acknowledge messages.
    await post(ctx.hub, 'bulk', 'during the export');
    for (let chunk = await reader.read(); chunk.done !== true; chunk = await reader.read()) received += decoder.decode(chunk.value, { stream: true });
    received += decoder.decode();
    const entries = parseLines(received);
    const messages = entries.filter((e) => e.source === 'message');
    expect({
      status: response.status,
      events: entries.filter((e) => e.source === 'event').map((e) => e.kind),
      messages: messages.length,
      inOrder: messages.every((m, i) => m.seq === i + 1 && m.content === text),
    }).toEqual({ status: 200, events: ['hub_started'], messages: 20_000, inOrder: true });
  });
});

describe('switchboard export audit', () => {
  it('writes the audit trail to stdout as JSON Lines, the same as the HTTP export, also from --since', async () => {
    const dataDir = tempDir();
    const hub = await serveCli(dataDir);
    try {
      for (const content of ['one', 'two', 'three']) {
        const response = await fetch(`${hub.http}/api/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${hub.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ conversation_id: 'general', content }),
        });
        expect(response.status).toBe(201);
      }
      const cli = await runCli(['export', 'audit', '--data-dir', dataDir]);
      const http = parseLines((await exportTrail(hub)).text);
      expect({ code: cli.code, stderr: cli.stderr, entries: parseLines(cli.stdout) }).toEqual({ code: 0, stderr: '', entries: http });
      expect(summary(http)).toEqual(['hub_started', 'general: one', 'general: two', 'general: three']);
      const since = (http[2] as AuditEntry).ts;
      const fromSince = await runCli(['export', 'audit', '--since', since, '--data-dir', dataDir]);
      expect(parseLines(fromSince.stdout)).toEqual(http.filter((e) => e.ts >= since));
      const bad = await runCli(['export', 'audit', '--since', 'soon', '--data-dir', dataDir]);
      expect({ code: bad.code, stdout: bad.stdout, stderr: bad.stderr }).toEqual({
        code: 1,
        stdout: '',
        stderr: expect.stringMatching(/^SB_ERR_VALIDATION: invalid query: since: /),
      });
    } finally {
      hub.child.kill('SIGTERM');
      await hub.exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('says so and exits 1 when no hub runs, and exits 2 when asked for something other than audit', async () => {
    const dataDir = tempDir();
    try {
      const none = await runCli(['export', 'audit', '--data-dir', dataDir]);
      const other = await runCli(['export', 'backup', '--data-dir', dataDir]);
      expect([none.code, none.stdout, other.code, other.stdout]).toEqual([1, '', 2, '']);
      expect(none.stderr).toContain('No running hub found');
      expect(other.stderr).toBe("error: unknown command 'backup'\n(run `switchboard export --help` for usage)\n");
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
