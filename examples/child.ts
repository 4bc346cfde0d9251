/**
 * A child agent: takes `verify_chart` tasks, reports progress, and returns `{ summary, score }`.
 *
 *   npm run example:child                  (or: node dist/examples/child.js [--data-dir DIR])
 *
 * It connects as `child_bazi` with the kind `child`, so it takes tasks sent to the agent `child_bazi`
 * and tasks sent to the role `child`. Start examples/master.ts to hand it one. Stop it with Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { connect } from '../sdk/index.js';

const { values } = parseArgs({ options: { 'data-dir': { type: 'string' } } });

// No url or token needed: connect() reads connection.json from the data folder (--data-dir, else
// SWITCHBOARD_HOME, else the app-data folder) and uses the local admin token it holds.
const agent = await connect({
  agent: 'child_bazi',
  profile: { kind: 'child', display_name: 'Bazi chart checker' },
  ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] }),
});
console.log(`child_bazi connected; waiting for verify_chart tasks (Ctrl-C to stop)`);

// handle() accepts every verify_chart task offered to this agent and runs the function. Whatever it
// returns is the task's result; an exception fails the task with its message. A finished task is
// remembered on disk (DATA_DIR/agents/child_bazi), so a restarted child never runs it twice.
agent.handle('verify_chart', async (task, ctx) => {
  const user = (task.payload as { user_id?: string } | null)?.user_id ?? 'unknown user';
  console.log(`working on ${task.task_id} for ${user}`);
  for (const step of [0.25, 0.5, 0.75]) {
    await sleep(200, ctx.signal); // the real work would go here; ctx.signal aborts if the task is canceled
    await ctx.progress(step, `checked ${step * 100}% of the chart`); // the master sees each step
  }
  const score = Math.round((0.5 + Math.random() * 0.49) * 100) / 100;
  return { summary: `chart of ${user} verified`, score };
});

// Ctrl-C: close the connection (a task still running goes back to the hub and is offered again).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void agent.close().then(() => process.exit(0)));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason as Error)), { once: true });
  });
}
