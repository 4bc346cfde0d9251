/** MCP tools for talking: who is there, which conversations exist, reading, waiting for and sending messages. */
import { z } from 'zod';
import { agentName, SwitchboardError, taskId } from '../../shared/index.js';
import { readMessages, waitForMessages } from './message-queries.js';
import { registerJsonTool, waitLimit, waitMs, type McpContext } from './tool-kit.js';

const conversation = z.string().min(1).max(200);
const afterSeq = z.number().int().min(0);
const limit = z.number().int().min(1).max(1000);
const READ_ONLY = { readOnlyHint: true, openWorldHint: false };

export function registerMessageTools(ctx: McpContext): void {
  const { client } = ctx;

  registerJsonTool(
    ctx,
    'list_agents',
    {
      description:
        'List the agents the Switchboard hub knows: their id, whether they are online, their kind and capabilities (task roles), queued direct messages, tasks in flight and the local process (pid, command line) behind each connection. Use it to find whom to message or hand a task to.',
      inputSchema: {},
      annotations: READ_ONLY,
    },
    async () => ({ agents: (await client.request({ type: 'list_agents' }))['agents'] }),
  );

  registerJsonTool(
    ctx,
    'list_conversations',
    {
      description:
        'List the conversations you may read, newest activity first, with their last message seq, message count, members (empty: open to all) and whether the loop breaker paused them. Direct messages live in conversations named "dm:<a>:<b>".',
      inputSchema: {},
      annotations: READ_ONLY,
    },
    async () => ({ conversations: (await client.request({ type: 'list_conversations' }))['conversations'] }),
  );

  registerJsonTool(
    ctx,
    'read_messages',
    {
      description:
        'Read stored messages of one conversation, oldest first. Without after_seq you get the newest `limit` messages (has_more: older ones exist); with after_seq the first `limit` messages stored after that seq (has_more: more follow). Pass the returned next_after_seq as after_seq next time to read only what is new.',
      inputSchema: {
        conversation: conversation.describe('Conversation id, e.g. "general" or "dm:alice:bob".'),
        after_seq: afterSeq.optional().describe('Only messages with a seq greater than this (a cursor from an earlier call).'),
        limit: limit.default(50).describe('At most this many messages (1-1000, default 50).'),
      },
      annotations: READ_ONLY,
    },
    (args) => readMessages(client, args.conversation, args.after_seq, args.limit),
  );

  registerJsonTool(
    ctx,
    'wait_for_messages',
    {
      description: `Wait for new messages from other agents instead of polling. Returns as soon as at least one message arrives (in one conversation, or in any you may read), or an empty list with timed_out true when the time is up. With after_seq, messages already stored after that seq are returned at once. Your own messages are left out. Loop by passing next_after_seq as after_seq so nothing is missed between calls.`,
      inputSchema: {
        conversation: conversation
          .optional()
          .describe('Only this conversation; leave out to wait on every conversation you may read (direct messages to you included).'),
        after_seq: afterSeq
          .optional()
          .describe('Return messages after this seq (a cursor from an earlier call); leave out to wait only for messages that arrive from now on.'),
        timeout_seconds: z
          .number()
          .min(0)
          .default(ctx.maxWaitSeconds)
          .describe(`How long to wait, in seconds: ${waitLimit(ctx)}.`),
        limit: limit.default(50).describe('At most this many messages (default 50).'),
      },
      annotations: READ_ONLY,
    },
    (args, signal) =>
      waitForMessages(ctx, { conversation: args.conversation, afterSeq: args.after_seq, limit: args.limit, waitMs: waitMs(ctx, args.timeout_seconds) }, signal),
  );

  registerJsonTool(
    ctx,
    'send_message',
    {
      description:
        "Send a message: to a conversation (created if it does not exist yet), or as a direct message to one agent with `to`. Give exactly one of conversation and to. Returns the stored message with its seq. When you answer another agent's message, set in_reply_to to its seq: the hub uses reply chains to stop runaway agent loops.",
      inputSchema: {
        conversation: conversation.optional().describe('Conversation id to post in.'),
        to: agentName.optional().describe('Agent id for a direct message (stored in "dm:<a>:<b>").'),
        content: z.string().max(1_000_000).describe('The message text.'),
        type: z.string().min(1).max(50).optional().describe('Message type, default "message" (others: "insight", "review", "rule", ...).'),
        payload: z.unknown().optional().describe('Any JSON data to attach.'),
        in_reply_to: z.number().int().min(1).optional().describe('The seq of the message this one answers.'),
        task_id: taskId.optional().describe("The task this message is about (a progress note, the result's summary): it shows in the task's lineage."),
      },
      annotations: { openWorldHint: false },
    },
    async (args) => {
      if ((args.conversation === undefined) === (args.to === undefined))
        throw new SwitchboardError('SB_ERR_VALIDATION', 'give exactly one of "conversation" or "to"');
      const ack = await client.request({
        type: 'send_message',
        ...(args.to === undefined ? { conversation_id: args.conversation } : { to: args.to }),
        content: args.content,
        ...(args.type === undefined ? {} : { message_type: args.type }),
        ...(args.payload === undefined ? {} : { payload: args.payload }),
        ...(args.in_reply_to === undefined ? {} : { in_reply_to: args.in_reply_to }),
        ...(args.task_id === undefined ? {} : { task_id: args.task_id }),
      });
      return { message: ack['message'] };
    },
  );
}
