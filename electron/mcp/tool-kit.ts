/** What every MCP tool module gets, how results and hub errors look to the MCP client, and waits that end early. */
import type { McpServer, ToolCallback } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { HubError, type SwitchboardClient } from '../../shared/client/index.js';
import { SwitchboardError } from '../../shared/index.js';
import type { MessageFeed } from './message-feed.js';
import type { TaskInbox } from './task-inbox.js';
import type { TaskWatch } from './task-watch.js';

export interface McpContext {
  server: McpServer;
  client: SwitchboardClient;
  /** This session's agent name, as the hub knows it. */
  agent: string;
  /** The longest any tool waits: the hub's maxWaitSeconds. */
  maxWaitSeconds: number;
  feed: MessageFeed;
  inbox: TaskInbox;
  tasks: TaskWatch;
  /** Aborted when the session closes: waits end at once and answer with what they have. */
  closing: AbortSignal;
  /** Tool calls under way, which a closing session lets answer first. */
  running: Set<Promise<unknown>>;
}

interface ToolSpec<Shape extends z.ZodRawShape> {
  description: string;
  inputSchema: Shape;
  annotations?: ToolAnnotations;
}

/**
 * Registers a tool whose answer is JSON. A hub refusal (or any other failure) becomes a tool error with the
 * hub's code and message, which the model can read and act on; it never ends the session.
 */
export function registerJsonTool<Shape extends z.ZodRawShape>(
  ctx: McpContext,
  name: string,
  spec: ToolSpec<Shape>,
  run: (args: z.output<z.ZodObject<Shape>>, signal: AbortSignal) => Promise<unknown>,
): void {
  const handler = async (args: z.output<z.ZodObject<Shape>>, extra: { signal: AbortSignal }): Promise<CallToolResult> => {
    const call = run(args, AbortSignal.any([extra.signal, ctx.closing]));
    ctx.running.add(call);
    try {
      return { content: [{ type: 'text', text: JSON.stringify(await call) }] };
    } catch (error) {
      return errorResult(error);
    } finally {
      ctx.running.delete(call);
    }
  };
  // The SDK types the callback with a conditional type over the shape, which TypeScript cannot resolve for a generic one.
  ctx.server.registerTool(name, spec, handler as unknown as ToolCallback<Shape>);
}

export function errorResult(error: unknown): CallToolResult {
  const code = error instanceof HubError || error instanceof SwitchboardError ? error.code : 'SB_ERR_INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  return { isError: true, content: [{ type: 'text', text: JSON.stringify({ error: { code, message } }) }] };
}

/** The wait a caller asked for, cut to the hub's limit, in milliseconds. */
export function waitMs(ctx: McpContext, seconds: number | undefined): number {
  return Math.min(seconds ?? 0, ctx.maxWaitSeconds) * 1000;
}

/** How a tool's description states the wait limit. */
export const waitLimit = (ctx: McpContext): string => `at most ${ctx.maxWaitSeconds} (longer values are cut to that)`;
