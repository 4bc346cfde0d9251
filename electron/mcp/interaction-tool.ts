/** The report_interaction tool: the seed's metrics frame, so an assistant's work shows in rollups and alerts. */
import { z } from 'zod';
import { registerJsonTool, type McpContext } from './tool-kit.js';

export function registerInteractionTool(ctx: McpContext): void {
  registerJsonTool(
    ctx,
    'report_interaction',
    {
      description:
        "Report one interaction you handled (a request you answered), for the hub's metrics and alerts: what was asked, how long the answer took, which tools you used, and whether it worked (with an error type if not). Call it once per interaction, after it ended.",
      inputSchema: {
        input: z.string().describe('What was asked (the first 200 characters are kept).'),
        response_time_ms: z.number().min(0).max(86_400_000).describe('How long the answer took, in milliseconds.'),
        success: z.boolean().optional().describe('Whether it worked; default: true unless error_type is given.'),
        error_type: z.string().max(200).optional().describe('The kind of failure, e.g. "Timeout" or "ToolError".'),
        tools_used: z.array(z.string().min(1).max(200)).max(100).optional().describe('Names of the tools used, e.g. ["read_file", "run_tests"].'),
        intent: z.string().max(200).optional().describe('What the interaction was about, in a word or two, e.g. "fix_bug".'),
      },
      annotations: { openWorldHint: false },
    },
    async (args) => {
      const data = {
        session_id: ctx.client.sessionId,
        timestamp: new Date().toISOString(),
        user_input: args.input,
        intent: args.intent ?? null,
        tools_used: args.tools_used ?? [],
        response_time_ms: args.response_time_ms,
        success: args.success ?? args.error_type === undefined,
        error_type: args.error_type ?? null,
      };
      const ack = await ctx.client.request({ type: 'metrics', data });
      return { interaction_id: ack['interaction_id'], success: data.success };
    },
  );
}
