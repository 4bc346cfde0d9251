/** `switchboard mcp`: the built CLI as an MCP client launches it, against a hub on a temporary data folder. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../shared/index.js';
import { CLI, runCli } from '../helpers/cli-process.js';
import { startHub, tempFolders } from '../helpers/hub.js';
import { readConversation } from '../helpers/sdk.js';
import { eventually } from '../helpers/wait.js';

const folder = tempFolders('switchboard-mcp-');
const hubs: { stop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const hub of hubs) await hub.stop();
});

describe('switchboard mcp', () => {
  it('exits 1 with a clear message when no hub runs', async () => {
    const never = folder();
    const stopped = folder();
    const hub = await startHub({ dataDir: stopped });
    await hub.stop();
    expect([await runCli(['mcp', '--data-dir', never]), await runCli(['mcp', '--data-dir', stopped])]).toEqual([
      { code: 1, signal: null, stdout: '', stderr: `No running hub found: ${join(never, 'connection.json')} is missing. Start one with: switchboard serve\n` },
      { code: 1, signal: null, stdout: '', stderr: `Switchboard is not running: nothing answers at ${hub.http}. Start it with: switchboard serve\n` },
    ]);
  });

  it('refuses an --agent that is not a valid agent name', async () => {
    expect(await runCli(['mcp', '--data-dir', folder(), '--agent', 'no spaces'])).toEqual({
      code: 1,
      signal: null,
      stdout: '',
      stderr: '--agent "no spaces" is not a valid agent name: use letters, digits, ".", "_", "@" and "-", starting with a letter or digit\n',
    });
  });

  it('speaks as --agent, writes only MCP messages to stdout and the rest to stderr, and exits when stdin ends', async () => {
    const hub = await startHub({ dataDir: folder() });
    hubs.push(hub);
    const child = spawn(process.execPath, [CLI, 'mcp', '--data-dir', hub.dataDir, '--agent', 'helper'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const lines = (): Record<string, unknown>[] =>
      stdout
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    const reply = (id: number): Promise<Record<string, unknown>> => eventually(() => lines().find((m) => m['id'] === id), `the reply to request ${id}`, 10_000);
    const send = (message: object): void => void child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);

    send({
      id: 1,
      method: 'initialize',
      params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'Raw Client', version: '0.1' } },
    });
    const initialized = await reply(1);
    send({ method: 'notifications/initialized' });
    send({ id: 2, method: 'tools/call', params: { name: 'send_message', arguments: { conversation: 'general', content: 'over stdio' } } });
    await reply(2);
    // The new conversation changes the resource list.
    await eventually(() => lines().find((m) => m['method'] === 'notifications/resources/list_changed'), 'the list_changed notification');
    child.stdin.end();
    const [code] = (await once(child, 'exit')) as [number | null];
    const stored = await readConversation(hub.http, hub.token, 'general');
    expect({
      server: (initialized['result'] as { serverInfo: { name: string } }).serverInfo.name,
      stdout: lines()
        .map((m) => [m['jsonrpc'], String(m['id'] ?? m['method'])])
        .sort(),
      stderr,
      stored: stored.map((m: StoredMessage) => [m.sender, m.content]),
      code,
    }).toEqual({
      server: 'switchboard',
      stdout: [
        ['2.0', '1'],
        ['2.0', '2'],
        ['2.0', 'notifications/resources/list_changed'],
      ],
      stderr: `switchboard mcp: serving MCP on stdio as agent "helper" of the hub at ${hub.http}\n`,
      stored: [['helper', 'over stdio']],
      code: 0,
    });
  });
});
