/**
 * The Switchboard MCP server on top of a connected client core: the same tools and resources whether a
 * coding assistant reaches it over Streamable HTTP (`/mcp`) or through `switchboard mcp` over stdio.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { SwitchboardClient } from '../../shared/client/index.js';
import { HUB_VERSION } from '../../shared/index.js';
import { registerInteractionTool } from './interaction-tool.js';
import { openMessageFeed } from './message-feed.js';
import { registerMessageTools } from './message-tools.js';
import { registerResources } from './resources.js';
import { createTaskInbox } from './task-inbox.js';
import { registerTaskTools } from './task-tools.js';
import { createTaskWatch } from './task-watch.js';
import type { McpContext } from './tool-kit.js';
import { registerWorkerTools } from './worker-tools.js';

export interface SwitchboardMcpOptions {
  /** The longest any tool waits, in seconds: the hub's maxWaitSeconds. */
  maxWaitSeconds: number;
}

export interface SwitchboardMcpServer {
  readonly server: McpServer;
  /** Lets tool calls under way answer, then ends the MCP session and its transport; the client core stays with whoever opened it. */
  close(): Promise<void>;
}

function instructions(agent: string): string {
  return [
    `You are connected to a Switchboard hub as the agent "${agent}". Other agents (and people) talk in conversations and hand each other tasks.`,
    'To talk: list_conversations, read_messages, send_message; wait_for_messages waits for replies instead of polling.',
    'To hand work over: send_task, then get_task (or wait_seconds). To do work sent to you: take_task, report_progress, ask_for_input, finish_task.',
  ].join('\n');
}

export async function createSwitchboardMcpServer(client: SwitchboardClient, options: SwitchboardMcpOptions): Promise<SwitchboardMcpServer> {
  const agent = client.agent;
  if (agent === undefined) throw new Error('the client core must be connected before it serves MCP');
  // Listening for task frames starts before the first await: offers may come right after `welcome`.
  const inbox = createTaskInbox(client);
  const tasks = createTaskWatch(client, agent);
  const server = new McpServer(
    { name: 'switchboard', title: 'Switchboard', version: HUB_VERSION },
    { capabilities: { resources: { subscribe: true, listChanged: true } }, instructions: instructions(agent) },
  );
  const closing = new AbortController();
  const running = new Set<Promise<unknown>>();
  try {
    const feed = await openMessageFeed(client);
    const ctx: McpContext = { server, client, agent, maxWaitSeconds: options.maxWaitSeconds, feed, inbox, tasks, closing: closing.signal, running };
    registerMessageTools(ctx);
    registerTaskTools(ctx);
    registerWorkerTools(ctx);
    registerInteractionTool(ctx);
    registerResources(ctx);
  } catch (error) {
    inbox.close();
    throw error;
  }
  return {
    server,
    async close() {
      // Calls under way answer first (a wait with what it has), so no client is left waiting for a reply.
      closing.abort();
      await Promise.allSettled([...running]);
      await new Promise((resolve) => setImmediate(resolve));
      inbox.close();
      await server.close();
    },
  };
}
