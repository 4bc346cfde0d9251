/**
 * `npm run demo`: a small agent team that keeps busy, so the GUI (or `switchboard tail general`) has
 * something alive to show. It uses the hub that answers at connection.json's address, or starts one
 * (`switchboard serve`) and stops it again when the demo ends. The agents run in this process, each with
 * its own connection through the SDK:
 *
 *   planner             streams its plans into `general` chunk by chunk, as an LLM would write them (a
 *                       fake one), and answers every "@planner" question from the team the same way
 *   coder               puts a pull request for each plan up in `review`, answers the review, and asks
 *                       the planner what is next
 *   reviewer            asks for one change, then approves, and thanks the coder in a direct message
 *   master              hands jobs to the role `worker`, each in reply to the planner's latest plan (a task's
 *                       story starts at that message). About 30% fail on the first try and are retried
 *                       with task_retry; every 20th always fails and is given up after 3 tries (the dead
 *                       letter), which the master reports in `general` about that task. It sends the
 *                       planner a direct message with the tally now and then
 *   worker-1, worker-2  (kind `worker`) run the jobs, reporting progress, and report each job as an
 *                       interaction (tools used, response time, error type) for the metrics view
 *
 * Usage: node dist/scripts/demo.js [--duration S] [--data-dir DIR] [--port N]
 *   --duration S   stop after S seconds (default: run until Ctrl-C)
 *   --data-dir DIR the hub's data folder (default SWITCHBOARD_HOME, else the app-data folder)
 *   --port N       the port of a hub this script starts (default: the hub's own, 8765 or the next free)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { readConnectionFile } from '../electron/common/connection-file.js';
import { resolveDataDir } from '../electron/common/data-dir.js';
import { connect, type Agent, type ConnectOptions, type StoredMessage, type TaskContext, type TaskRecord } from '../sdk/index.js';

const CLI = fileURLToPath(new URL('../electron/cli/main.js', import.meta.url));
const STATUS_EVERY_MS = 3000;
/** The master keeps at most this many jobs open, and offers a new one this often. */
const MAX_OPEN_JOBS = 6;
const JOB_EVERY_MS = 500;
/** A job is tried this often before the master gives up on it. */
const MAX_TRIES = 3;
/** The demo's agents: they answer one another, and no one else. */
const TEAM: ReadonlySet<string> = new Set(['planner', 'coder', 'reviewer', 'master', 'worker-1', 'worker-2']);
const COMMANDS = ['run_tests', 'build_docs', 'verify_chart', 'lint'];
const PLANS = [
  'add retries to the chart fetcher',
  'cache the ephemeris tables',
  'split the PDF report into sections',
  'cover leap months with tests',
  'profile the export of large charts',
];
const REVIEW_NOTES = [
  'please name the constant instead of using 3 inline',
  'this loop can leave the cache half written',
  'a test for the empty input would help',
];

const stats = { messages: 0, streamed: 0, direct: 0, jobsSent: 0, completed: 0, failed: 0, retried: 0, deadLetters: 0 };
const stopController = new AbortController();
/** Work under way (a reply being written, a job being run); the demo waits for it before closing the agents. */
const inFlight = new Set<Promise<unknown>>();
const startedAt = Date.now();

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function random(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min));
}

function pick<T>(items: readonly T[]): T {
  return items[random(0, items.length)] as T;
}

function track<T>(work: Promise<T>): Promise<T> {
  inFlight.add(work);
  void work.then(
    () => inFlight.delete(work),
    () => inFlight.delete(work),
  );
  return work;
}

/** Runs an agent's next step after a pause for "thinking"; skipped once the demo is stopping. */
function later(what: string, step: () => Promise<unknown>, delayMs = random(300, 900)): void {
  if (stopController.signal.aborted) return;
  void track(
    sleep(delayMs, undefined, { signal: stopController.signal })
      .then(step)
      .catch((error: unknown) => {
        if (!stopController.signal.aborted) log(`(${what} failed: ${errorText(error)})`);
      }),
  );
}

// --- the hub ------------------------------------------------------------------------------------------

async function healthy(http: string): Promise<boolean> {
  try {
    const response = await fetch(`${http}/api/health`, { signal: AbortSignal.timeout(2000) });
    return response.ok && ((await response.json()) as { status?: string }).status === 'healthy';
  } catch {
    return false;
  }
}

/** Starts `switchboard serve` and resolves once it listens. */
function startHub(dataDir: string, port: string | undefined): Promise<{ child: ChildProcess; http: string }> {
  const args = [CLI, 'serve', '--data-dir', dataDir, ...(port === undefined ? [] : ['--port', port])];
  // Its own process group (not on Windows): Ctrl-C reaches only the demo, which stops the agents first and then the hub.
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], detached: process.platform !== 'win32' });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error('the hub did not start within 15 s'))), 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /Switchboard hub listening on (http:\/\/\S+)/.exec(output);
      if (match === null) return;
      clearTimeout(timer);
      resolve({ child, http: match[1] as string });
    });
    child.once('error', (error) => (clearTimeout(timer), reject(error)));
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the hub exited with code ${String(code)} before it listened`))));
  });
}

async function stopHub(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

// --- the agents ---------------------------------------------------------------------------------------

async function say(agent: Agent, conversation: string, text: string): Promise<void> {
  await agent.send(conversation, text);
  stats.messages++;
}

async function direct(agent: Agent, to: string, text: string): Promise<void> {
  await agent.sendDirect(to, text);
  stats.messages++;
  stats.direct++;
}

/**
 * Calls `handler` for every message from another demo agent in `conversations`, streamed ones included.
 * Messages from anyone else (a person, an echo agent from the examples) are never answered: the demo
 * shares its conversations with them without ever talking back.
 * Workaround: the SDK's subscribe() delivers `new_message` frames only, and a streamed message arrives as
 * a `stream_end` frame (which carries the stored message), so those are picked up from the frame event.
 */
function listen(agent: Agent, name: string, conversations: string[], handler: (message: StoredMessage) => void): void {
  const seen = new Set<number>();
  const deliver = (message: StoredMessage): void => {
    if (message.sender === name || !TEAM.has(message.sender) || seen.has(message.seq)) return;
    seen.add(message.seq);
    if (seen.size > 1000) seen.delete(seen.values().next().value as number);
    handler(message);
  };
  agent.subscribe(conversations, deliver);
  agent.on('frame', (frame) => {
    if (frame.type === 'stream_end' && typeof frame['seq'] === 'number' && conversations.includes(String(frame['conversation_id']))) {
      deliver(frame as unknown as StoredMessage);
    }
  });
}

/** A fake LLM: the text in pieces of a few words, each after a short pause, like tokens arriving. */
async function* fakeLlm(text: string): AsyncGenerator<string> {
  const words = text.match(/\S+\s*/g) ?? [text];
  for (let i = 0; i < words.length; i += 3) {
    await sleep(random(30, 90));
    yield words.slice(i, i + 3).join('');
  }
}

function planner(agent: Agent): void {
  let next = 0;
  const plan = async (opening: string): Promise<void> => {
    const item = PLANS[next++ % PLANS.length] as string;
    const text = `${opening} Next up: ${item}. First read what is there, then sketch the smallest change, then ship it behind a flag. @coder, over to you.`;
    // The reply grows in `general` as it is written; subscribers see every chunk, and the hub stores it once at the end.
    const stream = await agent.stream('general', { type: 'llm' });
    for await (const chunk of fakeLlm(text)) stream.write(chunk);
    await stream.end();
    stats.messages++;
    stats.streamed++;
  };
  listen(agent, 'planner', ['general'], (message) => {
    if (message.content.includes('@planner')) later('planner reply', () => plan('Nice work.'));
  });
  // A moment's pause first, so the others' subscriptions are in place.
  later('planner kick-off', () => plan('Good morning, team!'), 300);
}

function coder(agent: Agent): void {
  let pr = 100;
  listen(agent, 'coder', ['general', 'review'], (message) => {
    const item = /Next up: (.+?)\./.exec(message.content)?.[1];
    const reviewed = /PR #(\d+)/.exec(message.content)?.[1];
    if (message.conversation_id === 'general' && message.sender === 'planner' && item !== undefined) {
      const number = ++pr;
      later('coder', () => say(agent, 'review', `PR #${number}: ${item}. Ready for review.`));
    } else if (message.conversation_id === 'review' && reviewed !== undefined && message.content.startsWith('Approved')) {
      later('coder', () => say(agent, 'general', `@planner PR #${reviewed} is merged. What should I pick up next?`));
    } else if (message.conversation_id === 'review' && reviewed !== undefined) {
      later('coder', () => say(agent, 'review', `PR #${reviewed} updated: done, and added a test for it.`));
    }
  });
  // Direct messages reach the agent without a subscription, through the `message` event.
  agent.on('message', (message) => {
    if (message.conversation_id.startsWith('dm:') && message.sender === 'reviewer')
      later('coder', () => direct(agent, 'reviewer', 'Thanks! I learned something there.'));
  });
}

function reviewer(agent: Agent): void {
  const rounds = new Map<string, number>();
  listen(agent, 'reviewer', ['review'], (message) => {
    const number = /PR #(\d+)/.exec(message.content)?.[1];
    if (message.sender !== 'coder' || number === undefined) return;
    const round = rounds.get(number) ?? 0;
    rounds.set(number, round + 1);
    if (round === 0) {
      later('reviewer', () => say(agent, 'review', `PR #${number}: ${pick(REVIEW_NOTES)}.`));
      return;
    }
    rounds.delete(number);
    later('reviewer', async () => {
      await say(agent, 'review', `Approved PR #${number}. Merging.`);
      await direct(agent, 'coder', `Nice work on PR #${number}.`);
    });
  });
}

/** Errors a job can end with; their names are the error types the metrics view counts. */
class CorruptInput extends Error {
  override name = 'CorruptInput';
}
class FlakyTimeout extends Error {
  override name = 'Timeout';
}

/**
 * A worker's job: a few steps with progress, each a tool call the worker reports as one interaction
 * (the metrics view's requests, latency, tools and error types). ~30% fail on the first try; every 20th
 * always fails.
 */
async function runJob(agent: Agent, task: TaskRecord, ctx: TaskContext): Promise<unknown> {
  const job = (task.payload as { job: number }).job;
  return agent.trackInteraction(`${task.cmd} job ${job}`, async (tracker) => {
    tracker.intent(task.cmd);
    for (const [step, progress] of [
      ['read_file', 0.3],
      ['run_command', 0.6],
      ['write_file', 0.9],
    ] as const) {
      tracker.tool(step);
      await sleep(random(80, 250));
      await ctx.progress(progress);
    }
    if (job % 20 === 0) throw new CorruptInput(`job ${job}: the input file is corrupt`);
    if (task.retry_of === null && [2, 5, 8].includes(job % 10)) throw new FlakyTimeout(`job ${job}: a flaky test timed out`);
    return { job, ok: true };
  });
}

function worker(agent: Agent): void {
  for (const cmd of COMMANDS) agent.handle(cmd, (task, ctx) => track(runJob(agent, task, ctx)));
}

function master(agent: Agent): ReturnType<typeof setInterval> {
  let job = 0;
  /** The planner's latest plan: the jobs are sent in reply to it. */
  let plan: number | undefined;
  listen(agent, 'master', ['general'], (message) => {
    if (message.sender === 'planner') plan = message.seq;
  });
  const open = new Set<string>();
  /** Tries so far of the job a task belongs to, by task id (a retry points at its predecessor with retry_of). */
  const tries = new Map<string, number>();
  agent.on('frame', (frame) => {
    if (frame.type !== 'task_updated') return;
    const task = frame['task'] as TaskRecord;
    const event = frame['event'];
    if (event === 'created') open.add(task.task_id);
    if (event !== 'completed' && event !== 'failed') return;
    open.delete(task.task_id);
    const tried = (task.retry_of === null ? 0 : (tries.get(task.retry_of) ?? 1)) + 1;
    if (task.retry_of !== null) tries.delete(task.retry_of);
    if (event === 'completed') stats.completed++;
    else {
      stats.failed++;
      if (tried < MAX_TRIES) {
        tries.set(task.task_id, tried);
        later('retry', async () => {
          await agent.request({ type: 'task_retry', task_id: task.task_id });
          stats.retried++;
        });
      } else {
        stats.deadLetters++;
        log(`dead letter: ${task.cmd} ${JSON.stringify(task.payload)} failed ${tried} times (${task.error ?? 'no reason'})`);
        later('master', async () => {
          await agent.send('general', `Giving up on ${task.cmd} after ${tried} tries: ${task.error ?? 'no reason'}. Could someone look at the input?`, {
            taskId: task.task_id,
          });
          stats.messages++;
        });
      }
    }
    if ((stats.completed + stats.failed) % 10 === 0) {
      later('master', () => direct(agent, 'planner', `Tally: ${stats.completed} jobs done, ${stats.failed} failed tries, ${stats.deadLetters} given up.`));
    }
  });
  const offer = (): void => {
    if (open.size >= MAX_OPEN_JOBS || stopController.signal.aborted) return;
    const number = ++job;
    open.add(`pending-${number}`);
    void track(
      agent
        .request({
          type: 'task_send',
          task: {
            to: 'worker',
            cmd: COMMANDS[number % COMMANDS.length] as string,
            payload: { job: number },
            ...(plan === undefined ? {} : { in_reply_to: plan }),
          },
        })
        .then(() => stats.jobsSent++)
        .catch((error: unknown) => log(`(master could not send job ${number}: ${errorText(error)})`))
        .finally(() => open.delete(`pending-${number}`)),
    );
  };
  offer();
  return setInterval(offer, JOB_EVERY_MS);
}

function statusLine(): string {
  const seconds = String(Math.round((Date.now() - startedAt) / 1000)).padStart(4);
  const s = stats;
  return (
    `[${seconds}s] messages ${s.messages} (${s.streamed} streamed, ${s.direct} direct) · ` +
    `jobs sent ${s.jobsSent}, completed ${s.completed}, failed ${s.failed} (retried ${s.retried}, dead letters ${s.deadLetters})`
  );
}

// --- main ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { duration: { type: 'string' }, 'data-dir': { type: 'string' }, port: { type: 'string' } } });
  const duration = values.duration === undefined ? undefined : Number(values.duration);
  if (duration !== undefined && !(duration > 0)) throw new Error(`--duration must be a number of seconds, not "${values.duration}"`);
  const dataDir = resolveDataDir(values['data-dir']);

  let hub: ChildProcess | undefined;
  const existing = readConnectionFile(dataDir);
  if (existing !== undefined && (await healthy(existing.http))) log(`Using the hub at ${existing.http}`);
  else {
    const started = await startHub(dataDir, values.port);
    hub = started.child;
    // A last resort if the demo dies without stopping: do not leave the hub it started behind.
    process.on('exit', () => hub?.kill('SIGTERM'));
    log(`Started a hub at ${started.http} (data folder ${dataDir}); it stops with the demo`);
  }

  const agents: Agent[] = [];
  let timers: ReturnType<typeof setInterval>[] = [];
  let stopping: Promise<void> | undefined;
  const stop = (why: string): Promise<void> =>
    (stopping ??= (async () => {
      log(`Stopping (${why})…`);
      stopController.abort();
      for (const timer of timers) clearInterval(timer);
      // Let replies being written and jobs being run finish, so nothing is left half done.
      await Promise.race([Promise.allSettled([...inFlight]), sleep(5000)]);
      await Promise.all(agents.map((agent) => agent.close()));
      if (hub !== undefined) await stopHub(hub);
      log(statusLine());
      log(hub === undefined ? 'Stopped.' : 'Stopped, and stopped the hub.');
    })());
  process.on('SIGINT', () => {
    if (stopping !== undefined) process.exit(130); // a second Ctrl-C: do not wait
    void stop('Ctrl-C').then(() => process.exit(0));
  });
  process.on('SIGTERM', () => void stop('SIGTERM').then(() => process.exit(0)));

  try {
    // Every agent uses the admin token from connection.json, acting as its own name; it keeps no state on disk.
    const join = async (agent: string, profile: ConnectOptions['profile']): Promise<Agent> => {
      const connected = await connect({ dataDir, agent, stateDir: false, ...(profile === undefined ? {} : { profile }) });
      agents.push(connected);
      return connected;
    };
    const team = {
      planner: await join('planner', { display_name: 'Planner', kind: 'llm', capabilities: ['plan'] }),
      coder: await join('coder', { display_name: 'Coder', kind: 'llm', capabilities: ['code'] }),
      reviewer: await join('reviewer', { display_name: 'Reviewer', kind: 'llm', capabilities: ['review'] }),
      workers: [await join('worker-1', { kind: 'worker' }), await join('worker-2', { kind: 'worker' })],
      master: await join('master', { display_name: 'Master', kind: 'master' }),
    };
    coder(team.coder);
    reviewer(team.reviewer);
    for (const agent of team.workers) worker(agent);
    planner(team.planner);
    timers = [master(team.master), setInterval(() => log(statusLine()), STATUS_EVERY_MS)];
    log(`Agents online: ${agents.map((agent) => agent.agent).join(', ')}. Watch them with: npx switchboard tail general`);
    log(duration === undefined ? 'Press Ctrl-C to stop.' : `Running for ${duration} s.`);
  } catch (error) {
    await stop('error');
    throw error;
  }
  if (duration !== undefined) {
    await sleep(duration * 1000, undefined, { signal: stopController.signal }).catch(() => {});
    await stop(`${duration} s are up`);
    process.exit(0);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo: ${errorText(error)}\n`);
  process.exit(1);
});
