/** MCP tools for handing work to other agents: send a task, follow it, answer its questions. */
import { z } from 'zod';
import { agentName, isTerminal } from '../../shared/index.js';
import type { TaskRecord } from '../../shared/index.js';
import { settled } from './task-watch.js';
import { registerJsonTool, waitLimit, waitMs, type McpContext } from './tool-kit.js';

export const taskId = z.string().min(1).max(100).describe('The task id, e.g. "t_1763805600000a1b2c31".');

export function registerTaskTools(ctx: McpContext): void {
  const { client, tasks, inbox } = ctx;
  const waitSeconds = z.number().min(0).optional();

  registerJsonTool(
    ctx,
    'send_task',
    {
      description: `Hand a task to another agent, or to any agent with a role (its kind or a capability). The hub stores it, offers it to a matching online agent (or waits for one), retries if the agent goes quiet, and records every step. Without wait_seconds it returns the task id at once; follow it with get_task. With wait_seconds it waits for the result and returns the finished task (state "completed" with result, or "failed"/"rejected"/"canceled" with error), or returns early when the child asks a question (state "input-required": answer it with answer_task), or returns the task still running when the time is up.`,
      inputSchema: {
        to: agentName.describe('The agent id, or a role/capability any matching agent may take.'),
        cmd: z.string().min(1).max(200).describe('What to do, e.g. "review_pr"; the child picks its handler by it.'),
        payload: z.unknown().optional().describe('Any JSON input for the task.'),
        text: z.string().max(100_000).optional().describe('Instructions in plain words.'),
        in_reply_to: z
          .number()
          .int()
          .min(1)
          .optional()
          .describe('The seq of the message this task came from (the request it answers); you must be able to read it.'),
        wait_seconds: waitSeconds.describe(`Wait this many seconds for the result: ${waitLimit(ctx)}.`),
      },
      annotations: { openWorldHint: false },
    },
    async (args, signal) => {
      const task = {
        to: args.to,
        cmd: args.cmd,
        ...(args.payload === undefined ? {} : { payload: args.payload }),
        ...(args.text === undefined ? {} : { text: args.text }),
        ...(args.in_reply_to === undefined ? {} : { in_reply_to: args.in_reply_to }),
      };
      const sent = (await client.request({ type: 'task_send', task }))['task'] as TaskRecord;
      const ms = waitMs(ctx, args.wait_seconds);
      const latest = ms > 0 ? await tasks.waitUntil(sent.task_id, settled, ms, signal) : sent;
      return { task: latest, finished: isTerminal(latest.state) };
    },
  );

  registerJsonTool(
    ctx,
    'get_task',
    {
      description: `Look at a task: its state (submitted, working, input-required, completed, failed, rejected, canceled), result or error, progress, the child's open question, every attempt, and the answers the master gave to questions you asked while working on it. With wait_seconds it first waits until the task finishes or asks a question.`,
      inputSchema: {
        task_id: taskId,
        wait_seconds: waitSeconds.describe(`Wait this many seconds for the task to finish or ask: ${waitLimit(ctx)}.`),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args, signal) => {
      const ms = waitMs(ctx, args.wait_seconds);
      if (ms > 0) await tasks.waitUntil(args.task_id, settled, ms, signal);
      const { task, attempts } = await tasks.get(args.task_id);
      const answers = inbox.answers(args.task_id);
      return { task, attempts, ...(answers.length === 0 ? {} : { answers }) };
    },
  );

  registerJsonTool(
    ctx,
    'answer_task',
    {
      description:
        'Answer the question of a task you sent that is "input-required" (get_task shows the question). The child receives the answer and the task goes back to "working".',
      inputSchema: { task_id: taskId, answer: z.unknown().describe('The answer: text or any JSON.') },
      annotations: { openWorldHint: false },
    },
    async (args) => ({ task: (await client.request({ type: 'task_input', task_id: args.task_id, answer: args.answer ?? null }))['task'] }),
  );
}
