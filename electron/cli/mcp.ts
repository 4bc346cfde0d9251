/**
 * `switchboard mcp`: the hub's MCP tools over stdio, for MCP clients that launch a command. It finds the
 * running hub through connection.json and speaks as one agent (`--agent`, else the MCP client's name).
 * stdout carries only MCP messages; anything for people goes to stderr.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { InitializeRequest, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { HubError } from '../../shared/client/index.js';
import { agentName } from '../../shared/index.js';
import { agentFromClientName, createSwitchboardMcpServer, initializeRequestIn, openHubClient, profileFor } from '../mcp/index.js';
import { callHub, CliError, connectionFor } from './hub-client.js';

/** A stdio transport started before the MCP server exists, to read `initialize` (who the client is) first. */
class EarlyStdioTransport extends StdioServerTransport {
  private begun = false;

  override async start(): Promise<void> {
    if (this.begun) return;
    this.begun = true;
    await super.start();
  }
}

/**
 * Starts reading stdin and resolves at `initialize`, or with undefined if stdin ends first. `early` keeps
 * every message read until the MCP server takes the transport over.
 */
async function readUntilInitialize(transport: EarlyStdioTransport): Promise<{ initialize: InitializeRequest; early: JSONRPCMessage[] } | undefined> {
  const early: JSONRPCMessage[] = [];
  const initialize = new Promise<InitializeRequest | undefined>((resolve) => {
    transport.onmessage = (message) => {
      early.push(message);
      const found = initializeRequestIn(message);
      if (found !== undefined) resolve(found);
    };
    process.stdin.once('end', () => resolve(undefined));
  });
  await transport.start();
  const found = await initialize;
  return found === undefined ? undefined : { initialize: found, early };
}

/** Hands the messages read before the MCP server existed to it, in order. */
function replay(transport: StdioServerTransport, messages: JSONRPCMessage[]): void {
  for (const message of messages) transport.onmessage?.(message);
}

export async function mcp(values: { dataDir?: string | undefined; agent?: string | undefined }): Promise<void> {
  const flagged = values.agent === undefined ? undefined : agentName.safeParse(values.agent);
  if (flagged?.success === false) throw new CliError(`--agent "${values.agent ?? ''}" is not a valid agent name: ${flagged.error.issues[0]?.message ?? ''}`);
  const info = connectionFor(values.dataDir);
  // Also tells at once, before any MCP message, when no hub answers.
  const settings = (await callHub(info, 'GET', '/api/settings'))['effective'] as { maxWaitSeconds: number };

  const transport = new EarlyStdioTransport();
  const opened = await readUntilInitialize(transport);
  if (opened === undefined) return;
  const { clientInfo } = opened.initialize.params;
  const agent = flagged?.data ?? agentFromClientName(clientInfo.name);
  const client = await openHubClient({ url: info.url, token: info.token, agent, profile: profileFor(clientInfo) }).catch((error: unknown) => {
    throw new CliError(`Could not join the hub as "${agent}": ${error instanceof HubError ? `${error.code}: ${error.message}` : String(error)}`);
  });
  const server = await createSwitchboardMcpServer(client, { maxWaitSeconds: settings.maxWaitSeconds });
  delete transport.onmessage;
  await server.server.connect(transport);
  replay(transport, opened.early);
  process.stderr.write(`switchboard mcp: serving MCP on stdio as agent "${agent}" of the hub at ${info.http}\n`);

  // Ends when the MCP client goes (stdin ends, stdout breaks), or when the hub refuses this agent for good (a revoked token).
  const revoked = await new Promise<boolean>((resolve) => {
    process.stdin.once('end', () => resolve(false));
    process.stdout.once('error', () => resolve(false));
    client.on('status', (status) => {
      if (status === 'closed') resolve(true);
    });
  });
  await server.close();
  await client.close();
  if (revoked) throw new CliError("switchboard mcp: the hub closed this agent's connection for good (its token was revoked)");
}
