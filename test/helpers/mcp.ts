/** MCP clients for tests: the official SDK's Client over Streamable HTTP (`/mcp`) and over stdio (`switchboard mcp`). */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResourceUpdatedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CLI } from './cli-process.js';
import type { TestHub } from './hub.js';
import { eventually } from './wait.js';

export interface McpClientOptions {
  /** The MCP client's name in `initialize` (default "test-assistant"). */
  name?: string;
  /** A token (default the hub's admin token). */
  token?: string;
  /** Appended to /mcp, e.g. "?agent=helper". */
  query?: string;
  headers?: Record<string, string>;
}

export interface TestMcp {
  client: Client;
  /** URIs of every `notifications/resources/updated` received, in order. */
  updated: string[];
  /** Calls a tool and parses its JSON answer; throws on a tool error. */
  call(tool: string, args?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Calls a tool that should fail and returns the hub's error. */
  fail(tool: string, args?: Record<string, unknown>): Promise<{ code: string; message: string }>;
  close(): Promise<void>;
}

function wrap(client: Client): TestMcp {
  const updated: string[] = [];
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => void updated.push(notification.params.uri));
  const raw = async (tool: string, args: Record<string, unknown>): Promise<{ isError: boolean; body: Record<string, unknown> }> => {
    const result = (await client.callTool({ name: tool, arguments: args })) as CallToolResult;
    const text = result.content[0]?.type === 'text' ? result.content[0].text : '';
    return { isError: result.isError === true, body: JSON.parse(text) as Record<string, unknown> };
  };
  return {
    client,
    updated,
    async call(tool, args = {}) {
      const { isError, body } = await raw(tool, args);
      if (isError) throw new Error(`${tool} failed: ${JSON.stringify(body)}`);
      return body;
    },
    async fail(tool, args = {}) {
      const { isError, body } = await raw(tool, args);
      if (!isError) throw new Error(`${tool} should have failed: ${JSON.stringify(body)}`);
      return body['error'] as { code: string; message: string };
    },
    close: () => client.close(),
  };
}

export async function mcpOverHttp(hub: TestHub, options: McpClientOptions = {}): Promise<TestMcp> {
  const client = new Client({ name: options.name ?? 'test-assistant', version: '1.0.0' });
  const headers = { authorization: `Bearer ${options.token ?? hub.token}`, ...options.headers };
  await client.connect(new StreamableHTTPClientTransport(new URL(`${hub.http}/mcp${options.query ?? ''}`), { requestInit: { headers } }));
  return wrap(client);
}

/**
 * Resolves once the hub has handled more frames of `type` than it had when this was called: a sign that an
 * MCP tool call (on the hub's WebSocket, as every MCP session is) got as far as sending one.
 */
export function hubHandles(hub: TestHub, type: string): () => Promise<void> {
  const count = (): number => hub.hub.services.frameCounts.get(type) ?? 0;
  const before = count();
  return async () => void (await eventually(() => (count() > before ? true : undefined), `a "${type}" frame`));
}

/** Launches the built `switchboard mcp --data-dir DIR …` and connects to it over its stdin and stdout. */
export async function mcpOverStdio(
  dataDir: string,
  args: string[] = [],
  options: Pick<McpClientOptions, 'name'> = {},
): Promise<TestMcp & { stderr: () => string }> {
  const client = new Client({ name: options.name ?? 'test-assistant', version: '1.0.0' });
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--data-dir', dataDir, ...args], stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  await client.connect(transport);
  return { ...wrap(client), stderr: () => stderr };
}
