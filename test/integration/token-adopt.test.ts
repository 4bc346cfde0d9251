/**
 * Adopting an existing secret as a token (the relay key an old master and child already share): over
 * HTTP and with `switchboard token create NAME --value`, stored hashed, weak or reused values refused.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli-process.js';
import { api, connectAgent, useHub } from '../helpers/hub.js';

const RELAY_KEY = 'rk_9fJ2kQ7vXz3LpW8mN4tBc6';

describe('adopting an existing secret as a token', () => {
  const ctx = useHub();

  it('adopts a strong value over HTTP without sending it back, and the old relay key then works as that agent', async () => {
    const created = await api(ctx.hub, 'POST', '/api/tokens', { body: { agent: 'master', value: RELAY_KEY } });
    expect(created.status).toBe(201);
    expect(created.body['token']).toMatchObject({ agent: 'master', adopted: true });
    expect(JSON.stringify(created.body)).not.toContain(RELAY_KEY);
    const logs = (await api(ctx.hub, 'GET', '/api/relay/logs')).body['logs'] as Record<string, unknown>[];
    expect(logs.find((entry) => entry['kind'] === 'token_created')).toMatchObject({ agent: 'master', adopted: true });
    const sent = await api(ctx.hub, 'POST', '/api/relay/send', {
      token: null,
      headers: { 'x-relay-api-key': RELAY_KEY },
      body: { from: 'master', to: 'child', type: 'task', cmd: 'check', payload: {}, text: 'go' },
    });
    expect(sent.body).toMatchObject({ status: 'ok', task_id: expect.stringMatching(/^t_/) });
    const client = await connectAgent(ctx.hub, 'master', RELAY_KEY);
    await client.close();
    const files = ['switchboard.db', 'switchboard.db-wal'].map((name) => join(ctx.hub.dataDir, name)).filter((file) => existsSync(file));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(readFileSync(file).toString('latin1')).not.toContain(RELAY_KEY);
  });

  it('refuses a weak value with the reason, and a value some token already has with 409, creating nothing', async () => {
    const before = ((await api(ctx.hub, 'GET', '/api/tokens')).body['tokens'] as unknown[]).length;
    const weak = await api(ctx.hub, 'POST', '/api/tokens', { body: { agent: 'child', value: 'changeme-changeme-123' } });
    expect(weak).toEqual({
      status: 400,
      body: {
        status: 'error',
        error: { code: 'SB_ERR_VALIDATION', message: 'this value cannot be a token: it contains "changeme", which marks a placeholder or a guessable value' },
      },
    });
    const reusedAdmin = await api(ctx.hub, 'POST', '/api/tokens', { body: { agent: 'child', value: ctx.hub.token } });
    expect(reusedAdmin.status).toBe(409);
    expect(await api(ctx.hub, 'POST', '/api/tokens', { body: { agent: 'child', value: RELAY_KEY } })).toMatchObject({ status: 201 });
    const again = await api(ctx.hub, 'POST', '/api/tokens', { body: { agent: 'other', value: RELAY_KEY } });
    expect(again.body).toEqual({
      status: 'error',
      error: { code: 'SB_ERR_CONFLICT', message: 'a token with this value exists already (or did, and was revoked); each token needs its own value' },
    });
    expect(((await api(ctx.hub, 'GET', '/api/tokens')).body['tokens'] as unknown[]).length).toBe(before + 1);
  });

  it('switchboard token create NAME --value adopts the key, prints only its id and says so on stderr without printing the key; a weak one exits 1 with the reason', async () => {
    const adopted = await runCli(['token', 'create', 'child', '--value', RELAY_KEY, '--data-dir', ctx.hub.dataDir]);
    expect(adopted.code).toBe(0);
    expect(adopted.stdout).toMatch(/^tok_[0-9a-f]{12}\n$/);
    expect(adopted.stderr).toMatch(/^Token tok_[0-9a-f]{12} for agent "child" now accepts the value you gave \(stored only as its hash\)\.\n$/);
    const client = await connectAgent(ctx.hub, 'child', RELAY_KEY);
    await client.close();
    const weak = await runCli(['token', 'create', 'child', '--value', 'aaaaaaaaaaaaaaaaaaaaaaaa', '--data-dir', ctx.hub.dataDir]);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('this value cannot be a token: it uses only 1 different characters');
  });

  it('switchboard token create NAME --value - reads the key from standard input', async () => {
    const child = spawn(process.execPath, [CLI, 'token', 'create', 'child', '--value', '-', '--data-dir', ctx.hub.dataDir], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdin.end(`${RELAY_KEY}\n`);
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect({ code, stdout, stderr }).toEqual({
      code: 0,
      stdout: expect.stringMatching(/^tok_[0-9a-f]{12}\n$/),
      stderr: expect.stringContaining('now accepts the value you gave'),
    });
    const client = await connectAgent(ctx.hub, 'child', RELAY_KEY);
    await client.close();
  });
});
