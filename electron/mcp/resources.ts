/**
 * MCP resources: conversations (`switchboard://conversations/{id}`) and tasks (`switchboard://tasks/{id}`)
 * as JSON, with subscriptions: a subscribed conversation is reported updated when a message arrives, a
 * subscribed task when it changes, and the list changes when a conversation appears.
 */
import { ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, SubscribeRequestSchema, UnsubscribeRequestSchema, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { TaskRecord } from '../../shared/index.js';
import { readMessages } from './message-queries.js';
import type { McpContext } from './tool-kit.js';

const CONVERSATIONS = 'switchboard://conversations/';
const TASKS = 'switchboard://tasks/';
const RECENT = 50;
const JSON_TYPE = 'application/json';

const conversationUri = (id: string): string => `${CONVERSATIONS}${encodeURIComponent(id)}`;
const taskUri = (id: string): string => `${TASKS}${encodeURIComponent(id)}`;

/** One spelling per resource, so `dm:a:b` and `dm%3Aa%3Ab` are the same subscription. */
function canonical(uri: string): string | undefined {
  for (const [prefix, make] of [
    [CONVERSATIONS, conversationUri],
    [TASKS, taskUri],
  ] as const) {
    if (!uri.startsWith(prefix)) continue;
    try {
      return make(decodeURIComponent(uri.slice(prefix.length)));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const idOf = (value: string | string[] | undefined): string => decodeURIComponent(String(value ?? ''));

const json = (uri: URL, value: unknown): ReadResourceResult => ({ contents: [{ uri: uri.href, mimeType: JSON_TYPE, text: JSON.stringify(value) }] });

export function registerResources(ctx: McpContext): void {
  const { server, client, tasks } = ctx;
  /** Subscribed resources: canonical URI → the URI as the client wrote it (notifications name it so). */
  const subscribed = new Map<string, string>();

  server.registerResource(
    'conversation',
    new ResourceTemplate(`${CONVERSATIONS}{id}`, {
      list: async () => {
        const listed = (await client.request({ type: 'list_conversations' }))['conversations'] as { id: string; title: string | null; message_count: number }[];
        return {
          resources: listed.map((c) => ({
            uri: conversationUri(c.id),
            name: c.id,
            title: c.title ?? c.id,
            description: `${c.message_count} messages`,
            mimeType: JSON_TYPE,
          })),
        };
      },
    }),
    { description: `A conversation's newest ${RECENT} messages, oldest first, as JSON. Subscribe to be told when a message arrives.`, mimeType: JSON_TYPE },
    async (uri, variables) => json(uri, await readMessages(client, idOf(variables['id']), undefined, RECENT)),
  );

  server.registerResource(
    'task',
    new ResourceTemplate(`${TASKS}{id}`, {
      list: async () => {
        const [sent, received] = await Promise.all([
          client.request({ type: 'task_list', from: ctx.agent, limit: RECENT }),
          client.request({ type: 'task_list', to: ctx.agent, limit: RECENT }),
        ]);
        const all = new Map([...(sent['tasks'] as TaskRecord[]), ...(received['tasks'] as TaskRecord[])].map((t) => [t.task_id, t]));
        return {
          resources: [...all.values()].map((t) => ({
            uri: taskUri(t.task_id),
            name: t.task_id,
            title: `${t.cmd} → ${t.to} (${t.state})`,
            mimeType: JSON_TYPE,
          })),
        };
      },
    }),
    { description: 'A task with its state, result or error, progress and attempts, as JSON. Subscribe to be told when it changes.', mimeType: JSON_TYPE },
    async (uri, variables) => json(uri, await tasks.get(idOf(variables['id']))),
  );

  server.server.setRequestHandler(SubscribeRequestSchema, async (request) => {
    const key = canonical(request.params.uri);
    if (key === undefined) throw new McpError(ErrorCode.InvalidParams, `not a Switchboard resource: ${request.params.uri}`);
    subscribed.set(key, request.params.uri);
    if (key.startsWith(TASKS)) await tasks.follow((await tasks.get(decodeURIComponent(key.slice(TASKS.length)))).task);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    const key = canonical(request.params.uri);
    if (key !== undefined) subscribed.delete(key);
    return {};
  });

  // A notification that finds the session gone is dropped: nothing waits for it.
  const updated = (key: string): void => {
    const uri = subscribed.get(key);
    if (uri !== undefined) void server.server.sendResourceUpdated({ uri }).catch(() => {});
  };
  ctx.feed.listen((message, first) => {
    if (first) void server.server.sendResourceListChanged().catch(() => {});
    updated(conversationUri(message.conversation_id));
  });
  tasks.listen((task) => updated(taskUri(task.task_id)));
  // The child's side of a task changes without task_updated: an answer, a cancel, the lease taken back.
  client.on('frame', (frame) => {
    const id = frame['task_id'];
    if ((frame.type === 'task_input' || frame.type === 'task_canceled' || frame.type === 'task_revoked') && typeof id === 'string') updated(taskUri(id));
  });
}
