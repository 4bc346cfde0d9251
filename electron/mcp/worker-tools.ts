/** MCP tools for doing tasks other agents send: take one, report progress, ask the master, finish it. */
import { z } from 'zod';
import type { TaskRecord } from '../../shared/index.js';
import { taskId } from './task-tools.js';
import { registerJsonTool, waitLimit, waitMs, type McpContext } from './tool-kit.js';

export function registerWorkerTools(ctx: McpContext): void {
  const { client, inbox } = ctx;
  const change = async (frame: Record<string, unknown> & { type: string }): Promise<{ task: TaskRecord; changed: boolean }> => {
    const ack = await client.request(frame);
    return { task: ack['task'] as TaskRecord, changed: ack['changed'] === true };
  };

  registerJsonTool(
    ctx,
    'take_task',
    {
      description: `Take the next task another agent sent to you (or to a role you have): it is accepted and returned with its cmd, payload and text, now "working" and yours. Report progress with report_progress, ask with ask_for_input, and end it with finish_task. Once taken, a task must see progress or a result within its timeout_ms, or the hub takes it back. Tasks offered while you are not taking them are given back when their offer runs out and offered again. Returns task null when none came within wait_seconds.`,
      inputSchema: {
        wait_seconds: z
          .number()
          .min(0)
          .optional()
          .describe(`Wait this many seconds for a task to arrive: ${waitLimit(ctx)}. Default 0: only one already offered.`),
      },
      annotations: { openWorldHint: false },
    },
    async (args, signal) => ({ task: (await inbox.take(waitMs(ctx, args.wait_seconds), signal)) ?? null }),
  );

  registerJsonTool(
    ctx,
    'report_progress',
    {
      description: "Report progress on a task you took. The master sees it, and it keeps the task yours: report at least once per the task's timeout_ms.",
      inputSchema: {
        task_id: taskId,
        progress: z.number().min(0).max(1).optional().describe('How far along, from 0 to 1.'),
        message: z.string().max(10_000).optional().describe('What is happening, in a few words.'),
      },
      annotations: { openWorldHint: false },
    },
    (args) =>
      change({
        type: 'task_progress',
        task_id: args.task_id,
        ...(args.progress === undefined ? {} : { progress: args.progress }),
        ...(args.message === undefined ? {} : { message: args.message }),
      }),
  );

  registerJsonTool(
    ctx,
    'ask_for_input',
    {
      description: `Ask the master of a task you took a question; the task becomes "input-required" until it answers (no timeout meanwhile). With wait_seconds it waits for the answer and returns it; otherwise get_task shows it in "answers" once it came. Then carry on and finish the task.`,
      inputSchema: {
        task_id: taskId,
        question: z.string().min(1).max(100_000).describe('The question for the master.'),
        wait_seconds: z
          .number()
          .min(0)
          .optional()
          .describe(`Wait this many seconds for the answer: ${waitLimit(ctx)}.`),
      },
      annotations: { openWorldHint: false },
    },
    async (args, signal) => {
      const known = inbox.answers(args.task_id).length;
      const asked = await change({ type: 'task_input_required', task_id: args.task_id, question: args.question });
      const ms = waitMs(ctx, args.wait_seconds);
      const answered = ms > 0 ? await inbox.nextAnswer(args.task_id, known, ms, signal) : undefined;
      return answered === undefined ? { task: asked.task, answered: false } : { task: asked.task, answered: true, answer: answered.answer };
    },
  );

  registerJsonTool(
    ctx,
    'finish_task',
    {
      description:
        'Finish a task you took: with result (any JSON) it is "completed"; with error it is "failed". The master is told at once. Finishing a task that is already finished changes nothing (changed false).',
      inputSchema: {
        task_id: taskId,
        result: z.unknown().optional().describe('The outcome, as text or any JSON.'),
        error: z.string().max(10_000).optional().describe('Why the task failed; giving it marks the task failed.'),
      },
      annotations: { openWorldHint: false },
    },
    async (args) => {
      const failed = args.error !== undefined;
      const finished = await change({
        type: 'task_result',
        task_id: args.task_id,
        status: failed ? 'failed' : 'completed',
        ...(args.result === undefined ? {} : { result: args.result }),
        ...(failed ? { error: args.error } : {}),
      });
      inbox.finished(args.task_id);
      return finished;
    },
  );
}
