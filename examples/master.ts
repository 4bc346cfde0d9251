/**
 * A master agent: hands `verify_chart` tasks to the role `child` and prints every change the hub reports
 * until each task is finished. Exits 0 when all completed, 1 otherwise.
 *
 *   npm run example:master                  (or: node dist/examples/master.js [--data-dir DIR]
 *                                                 [--callback-url URL] [user_id …])
 *
 * Run examples/child.ts as well, before or after: the hub keeps a task until a matching agent connects.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { connect, type TaskRecord } from '../sdk/index.js';

const { values, positionals } = parseArgs({
  options: { 'data-dir': { type: 'string' }, 'callback-url': { type: 'string' } },
  allowPositionals: true,
});
const users = positionals.length > 0 ? positionals : ['u123'];

// connect() finds the hub through connection.json in the data folder; no url or token needed.
const agent = await connect({ agent: 'master', ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] }) });

// Each task gets an idempotency key chosen here: sending it again (say, after a crash) would return the
// same task, and it lets us pick our tasks out of the updates before the hub has told us their ids.
const ours = new Map<string, string>(users.map((user) => [randomUUID(), user]));
const FINISHED = ['completed', 'failed', 'canceled', 'rejected'];
const done = new Set<string>();
let allCompleted = true;

// The hub sends the master a `task_updated` frame for every change of its tasks: created, assigned,
// accepted, progress, completed, failed… Listen before sending, so no update is missed.
const finished = new Promise<void>((resolve) => {
  agent.on('frame', (frame) => {
    if (frame.type !== 'task_updated') return;
    const task = frame['task'] as TaskRecord;
    if (task.idempotency_key === null || !ours.has(task.idempotency_key)) return; // an earlier run's task
    let line = `${task.task_id} ${String(frame['event'])}`;
    const progress = task.progress as { value?: unknown; message?: string } | null;
    if (frame['event'] === 'progress') line += `: ${progress?.message ?? JSON.stringify(progress?.value)}`;
    else if (task.assigned_to !== null) line += ` (${task.assigned_to})`;
    console.log(line);
    if (!FINISHED.includes(task.state) || done.has(task.task_id)) return;
    done.add(task.task_id);
    if (task.state === 'completed') console.log(`completed ${task.task_id}: ${JSON.stringify(task.result)}`);
    else console.log(`${task.state} ${task.task_id}: ${task.error ?? ''}`);
    allCompleted &&= task.state === 'completed';
    if (done.size === ours.size) resolve();
  });
});

// agent.request() sends any protocol frame and resolves with the hub's reply (here the ack of task_send).
// `to` names an agent or a role: any agent whose kind or capabilities include "child" may take it.
for (const [key, user] of ours) {
  const ack = await agent.request({
    type: 'task_send',
    task: {
      to: 'child',
      cmd: 'verify_chart',
      payload: { user_id: user },
      text: `please verify the chart of ${user}`,
      idempotency_key: key,
      // Optional: the hub also POSTs the finished task to this URL (and retries if it fails).
      ...(values['callback-url'] === undefined ? {} : { callback_url: values['callback-url'] }),
    },
  });
  console.log(`sent ${(ack['task'] as TaskRecord).task_id} for ${user}`);
}

console.log('waiting for a child to take them (npm run example:child)…');
await finished;
await agent.close();
process.exit(allCompleted ? 0 : 1);
