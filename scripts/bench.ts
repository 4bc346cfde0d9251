/**
 * `npm run bench`: measures a real hub in a child process and prints a report — durable throughput,
 * publish→deliver latency at fixed rates, memory per idle connection, the task relay end to end,
 * interactions ingested per second with the alert rules on, an agent's round trip while others flood bad
 * frames, and the dashboard's smoothness in Chromium.
 * Usage: node dist/scripts/bench.js [throughput] [latency] [memory] [tasks] [metrics] [flood] [dashboard]   (all when none is named;
 * dashboard only when Chromium is installed)
 */
import { existsSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { CHROMIUM, measureBigConversation, measureFirehose, withChromium, type Smoothness } from './bench/dashboard.js';
import { startHubProcess, stopAllHubs, type HubProcess, type HubStatus } from './bench/hub-process.js';
import { measureFlood } from './bench/flood.js';
import { measureLatency, type Percentiles } from './bench/latency.js';
import { measureMemory } from './bench/memory.js';
import { measureIngest } from './bench/metrics.js';
import { formatInt, formatMs, table, type Row } from './bench/report.js';
import { measureTaskLatency, measureTaskThroughput } from './bench/tasks.js';
import { measureThroughput } from './bench/throughput.js';

const CONTENT_BYTES = 256;
const WINDOW = 2000;
/** Messages per `send_batch` frame in the batched run: what the SDK sends for a burst of 100 sends in one turn. */
const BATCH = 100;
const THROUGHPUT = { maxMessages: 200_000, maxSeconds: 5 };
const LATENCY_SECONDS = 5;
const IDLE_CONNECTIONS = 5000;
/** The task relay: one master, this many children in one role; the hub lets each hold this many tasks. */
const TASK_CHILDREN = 4;
const TASK_SETTINGS = { maxTasksInFlight: 64 };
const TASK_WINDOW = 500;
const TASK_THROUGHPUT = { maxTasks: 20_000, maxSeconds: 5 };
const TASK_LATENCY_RATE = 500;
/** The dashboard: a firehose into the conversation on screen (20 messages every 10 ms), then a big conversation opened and scrolled back. */
const FIREHOSE = { conversation: 'bench-live', ratePerSecond: 2000, tickMs: 10, seconds: 5, contentBytes: 120 };
const BIG_CONVERSATION = { conversation: 'bench-100k', messages: 100_000, contentBytes: 120, scrollBack: 20_000, scrollStepPx: 2000, maxScrollSeconds: 120 };
/** Interactions: this many agents pipeline metrics frames, each with this many in flight; one in 100 fails. */
const INGEST = { agents: 2, window: 1000, maxInteractions: 200_000, maxSeconds: 5, failEvery: 100 };
/** Bad frames: one connection floods, 500 frames in flight, for as long as the quiet phase; memory is read 5 s after. Three floods in a row. */
const FLOOD = { flooders: 1, seconds: 5, batch: 500, settleMs: 5000 };

const TARGETS = {
  oneToOne: 70_000,
  oneToOneStretch: 100_000,
  p99At1k: 2,
  p99At5k: 4,
  kibPerConnection: 16,
};

type Section = 'throughput' | 'latency' | 'memory' | 'tasks' | 'metrics' | 'flood' | 'dashboard';
const SECTIONS: readonly Section[] = ['throughput', 'latency', 'memory', 'tasks', 'metrics', 'flood', 'dashboard'];

function selectedSections(argv: readonly string[]): Set<Section> {
  const unknown = argv.filter((arg) => !SECTIONS.includes(arg as Section));
  if (unknown.length > 0) throw new Error(`unknown section(s) ${unknown.join(', ')}; choose from ${SECTIONS.join(', ')}`);
  if (argv.length === 0) return new Set(existsSync(CHROMIUM) ? SECTIONS : SECTIONS.filter((section) => section !== 'dashboard'));
  if (argv.includes('dashboard') && !existsSync(CHROMIUM))
    throw new Error(`the dashboard section needs Chromium at ${CHROMIUM}; set SWITCHBOARD_CHROMIUM to another executable`);
  return new Set(argv as Section[]);
}

const pct = (share: number): string => `${Math.round(share * 100)}%`;

async function throughputRows(hub: HubProcess): Promise<Row[]> {
  const base = { window: WINDOW, contentBytes: CONTENT_BYTES };
  // Warm-up: lets both processes' JIT settle before anything is measured.
  await measureThroughput(hub, { ...base, conversation: 'bench-warmup', subscribers: 1, maxMessages: 30_000, maxSeconds: 5 });
  const rows: Row[] = [];
  for (const [subscribers, batch] of [
    [1, undefined],
    [1, BATCH],
    [10, undefined],
  ] as const) {
    const result = await measureThroughput(hub, {
      ...base,
      ...THROUGHPUT,
      conversation: `bench-1to${subscribers}${batch === undefined ? '' : '-batched'}`,
      subscribers,
      ...(batch === undefined ? {} : { batch }),
    });
    const single = subscribers === 1 && batch === undefined;
    const target = single ? `>= ${formatInt(TARGETS.oneToOne)} (stretch ${formatInt(TARGETS.oneToOneStretch)})` : '';
    rows.push({
      measure: `durable msgs/s, 1 -> ${subscribers} subscriber${subscribers === 1 ? '' : 's'}${batch === undefined ? '' : `, send_batch of ${batch}`}`,
      result: formatInt(result.rate),
      target,
      ...(single ? { pass: result.rate >= TARGETS.oneToOne } : {}),
    });
    const microseconds = ((result.hubCpu / result.rate) * 1e6).toFixed(1);
    rows.push({
      measure: '  run',
      result: `${formatInt(result.messages)} msgs, ${formatInt(result.deliveries)} deliveries in ${result.seconds.toFixed(2)} s; CPU: hub ${pct(result.hubCpu)} (${microseconds} µs/msg), clients ${pct(result.clientCpu)}`,
      target: '',
    });
  }
  return rows;
}

async function latencyRows(hub: HubProcess): Promise<Row[]> {
  // A long-running hub has its hot path compiled; so should the one measured here, also when run alone.
  await measureThroughput(hub, {
    conversation: 'bench-latency-warmup',
    subscribers: 1,
    window: WINDOW,
    contentBytes: CONTENT_BYTES,
    maxMessages: 30_000,
    maxSeconds: 5,
  });
  const rows: Row[] = [];
  for (const [rate, limit] of [
    [1000, TARGETS.p99At1k],
    [5000, TARGETS.p99At5k],
  ] as const) {
    const result = await measureLatency(hub, {
      conversation: `bench-latency-${rate}`,
      ratePerSecond: rate,
      seconds: LATENCY_SECONDS,
      warmupSeconds: 1,
      contentBytes: CONTENT_BYTES,
    });
    const d = result.deliver;
    rows.push({
      measure: `publish->deliver ms at ${formatInt(rate)} msgs/s`,
      result: `${percentileText(d)}  (${formatInt(result.messages)} msgs)`,
      target: `p99 <= ${limit} ms`,
      pass: d.p99 <= limit,
    });
    rows.push({ measure: '  publish->ack ms', result: percentileText(result.ack), target: '' });
    rows.push({ measure: '  noise: bench 1 ms timer late by (ms)', result: percentileText(result.timerLateness), target: '' });
  }
  return rows;
}

function percentileText(p: Percentiles): string {
  return `p50 ${formatMs(p.p50)}  p99 ${formatMs(p.p99)}  p99.9 ${formatMs(p.p999)}  max ${formatMs(p.max)}`;
}

async function memoryRows(): Promise<Row[]> {
  const hub = await startHubProcess({ maxConnections: IDLE_CONNECTIONS + 1000 });
  try {
    const result = await measureMemory(hub, { connections: IDLE_CONNECTIONS, concurrency: 50, settleMs: 1000 });
    const kib = result.perConnection / 1024;
    const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
    return [
      {
        measure: `KiB per idle authenticated connection`,
        result: kib.toFixed(1),
        target: `<= ${TARGETS.kibPerConnection}`,
        pass: kib <= TARGETS.kibPerConnection,
      },
      {
        measure: '  run',
        result: `${formatInt(result.connections)} connections: RSS ${mib(result.rssBefore)} -> ${mib(result.rssAfter)}, heap ${mib(result.heapBefore)} -> ${mib(result.heapAfter)}`,
        target: '',
      },
    ];
  } finally {
    await hub.stop();
  }
}

async function taskRows(): Promise<Row[]> {
  const hub = await startHubProcess(TASK_SETTINGS);
  try {
    const base = { children: TASK_CHILDREN, window: TASK_WINDOW };
    // Warm-up in its own role (and so its own agents), so the measured run starts with compiled code.
    await measureTaskThroughput(hub, { ...base, role: 'bench-warmup', maxTasks: 5000, maxSeconds: 3 });
    const before = (await hub.status()).commits;
    const result = await measureTaskThroughput(hub, { ...base, ...TASK_THROUGHPUT, role: 'bench-worker' });
    const during = (await hub.status()).commits;
    const latency = await measureTaskLatency(hub, {
      role: 'bench-latency-worker',
      children: TASK_CHILDREN,
      ratePerSecond: TASK_LATENCY_RATE,
      seconds: LATENCY_SECONDS,
      warmupSeconds: 1,
    });
    const after = (await hub.status()).commits;
    const batches = during.batches - before.batches;
    const writesPerBatch = (during.writes - before.writes) / Math.max(1, batches);
    const commitsPerTask = (after.batches - during.batches) / latency.sent;
    return [
      { measure: `tasks/s end to end, 1 master -> ${TASK_CHILDREN} children by role`, result: formatInt(result.rate), target: '' },
      {
        measure: '  run',
        result:
          `${formatInt(result.tasks)} tasks in ${result.seconds.toFixed(2)} s, per child ${result.perChild.map(formatInt).join('/')}; ` +
          `${formatInt(batches)} commits of ${writesPerBatch.toFixed(0)} writes; CPU: hub ${pct(result.hubCpu)} (${cpuMicroseconds(result.hubCpu, result.rate)} µs/task), clients ${pct(result.clientCpu)}`,
        target: '',
      },
      {
        measure: `send->task_assigned ms at ${formatInt(TASK_LATENCY_RATE)} tasks/s`,
        result: `${percentileText(latency.assign)}  (${formatInt(latency.tasks)} tasks)`,
        target: '',
      },
      { measure: '  send->master told completed ms', result: percentileText(latency.complete), target: '' },
      {
        measure: '  run',
        result: `${commitsPerTask.toFixed(1)} commits per task; CPU: hub ${pct(latency.hubCpu)} (${cpuMicroseconds(latency.hubCpu, TASK_LATENCY_RATE)} µs/task)`,
        target: '',
      },
      { measure: '  noise: bench 1 ms timer late by (ms)', result: percentileText(latency.timerLateness), target: '' },
    ];
  } finally {
    await hub.stop();
  }
}

async function metricsRows(): Promise<Row[]> {
  const hub = await startHubProcess();
  try {
    const since = Date.now();
    await measureIngest(hub, { ...INGEST, name: 'bench-warmup', maxInteractions: 30_000, maxSeconds: 3 });
    const before = (await hub.status()).commits;
    const result = await measureIngest(hub, { ...INGEST, name: 'bench-agent' });
    const after = (await hub.status()).commits;
    // Every acknowledged interaction must be in the rollups (the query writes the open minutes first).
    const totals = (await hub.getJson(`/api/metrics/agents?since=${since - 60_000}`)) as { agents: { agent: string; count: number }[] };
    const rolledUp = totals.agents.filter((a) => a.agent.startsWith('bench-agent')).reduce((sum, a) => sum + a.count, 0);
    const batches = after.batches - before.batches;
    return [
      {
        measure: `interactions/s ingested, ${INGEST.agents} agents pipelining (alert rules on)`,
        result: formatInt(result.rate),
        target: '',
      },
      {
        measure: '  run',
        result:
          `${formatInt(result.interactions)} interactions in ${result.seconds.toFixed(2)} s; ${formatInt(batches)} commits of ${((after.writes - before.writes) / Math.max(1, batches)).toFixed(0)} writes; ` +
          `CPU: hub ${pct(result.hubCpu)} (${cpuMicroseconds(result.hubCpu, result.rate)} µs/interaction), clients ${pct(result.clientCpu)}`,
        target: '',
      },
      {
        measure: '  in the per-minute rollups',
        result: formatInt(rolledUp),
        target: `= ${formatInt(result.interactions)}`,
        pass: rolledUp === result.interactions,
      },
    ];
  } finally {
    await hub.stop();
  }
}

async function floodRows(): Promise<Row[]> {
  const hub = await startHubProcess();
  try {
    const result = await measureFlood(hub, FLOOD);
    // Two more floods on the same hub: memory a flood leaves behind must level off, not add up.
    const later = [await measureFlood(hub, FLOOD), await measureFlood(hub, FLOOD)];
    const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
    return [
      {
        measure: 'send->ack ms of one agent, hub quiet',
        result: `${percentileText(result.quiet)}  (${formatInt(result.roundTrips.quiet)} round trips)`,
        target: '',
      },
      {
        measure: `  while ${FLOOD.flooders === 1 ? 'another connection floods' : `${FLOOD.flooders} connections flood`} bad frames`,
        result: `${percentileText(result.flooded)}  (${formatInt(result.roundTrips.flooded)} round trips)`,
        target: '',
      },
      {
        measure: '  flood',
        result: `${formatInt(result.badFrames)} malformed and deeply nested frames (${mib(result.badBytes)}) in ${FLOOD.seconds} s, every one answered`,
        target: '',
      },
      {
        measure: '  hub RSS',
        result: `before ${mib(result.rss.before)}, peak ${mib(result.rss.peak)}, ${FLOOD.settleMs / 1000} s after ${mib(result.rss.after)}`,
        target: '',
      },
      {
        measure: '  hub JS heap in use (no GC forced)',
        result: `before ${mib(result.heap.before)}, ${FLOOD.settleMs / 1000} s after ${mib(result.heap.after)}`,
        target: '',
      },
      {
        measure: '  hub RSS after a 2nd and a 3rd flood',
        result: later.map((next) => `${mib(next.rss.after)} (peak ${mib(next.rss.peak)})`).join(', '),
        target: '',
      },
    ];
  } finally {
    await hub.stop();
  }
}

async function dashboardRows(): Promise<Row[]> {
  const hub = await startHubProcess();
  try {
    return await withChromium(async (browser) => {
      const live = await measureFirehose(hub, browser, FIREHOSE);
      const big = await measureBigConversation(hub, browser, BIG_CONVERSATION);
      const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
      return [
        {
          measure: `dashboard: ${formatInt(FIREHOSE.ratePerSecond)} msgs/s for ${FIREHOSE.seconds} s into the open conversation`,
          result:
            live.shownAfterMs === undefined
              ? `${formatInt(live.sent)} sent; seq ${formatInt(live.lastSeq)} never on screen`
              : `${formatInt(live.sent)} sent; the last on screen ${formatMs(live.shownAfterMs)} ms after it was sent`,
          target: 'the last on screen',
          pass: live.shownAfterMs !== undefined,
        },
        ...smoothnessRows(live),
        {
          measure: `dashboard: open a ${formatInt(big.messages)}-message conversation`,
          result: `newest on screen in ${formatMs(big.firstRenderMs)} ms (filled in ${big.fillSeconds.toFixed(1)} s)`,
          target: '',
        },
        {
          measure: `  then scroll back through the newest ${formatInt(BIG_CONVERSATION.scrollBack)}`,
          result: `${big.scrollSeconds.toFixed(1)} s, ${formatInt(big.scrollSteps)} steps of ${formatInt(BIG_CONVERSATION.scrollStepPx)} px, one a frame; ${formatInt(big.undoneSteps)} undone by the timeline`,
          target: '',
        },
        ...smoothnessRows(big),
        {
          measure: '  JS heap',
          result: `opened ${mib(big.heap.opened)}, after scrolling ${mib(big.heap.scrolled)} (after GC); peak ${mib(big.heap.peak)}`,
          target: '',
        },
      ];
    });
  } finally {
    await hub.stop();
  }
}

function smoothnessRows({ longTasks, frames }: Smoothness): Row[] {
  return [
    {
      measure: '  long tasks (> 50 ms)',
      result: longTasks.count === 0 ? 'none' : `${longTasks.count}, ${formatInt(longTasks.totalMs)} ms in all, longest ${formatInt(longTasks.longestMs)} ms`,
      target: '',
    },
    {
      measure: '  frame interval ms',
      result: `p50 ${formatMs(frames.p50)}  p95 ${formatMs(frames.p95)}  max ${formatMs(frames.max)}  (${formatInt(frames.count)} frames)`,
      target: '',
    },
  ];
}

/** CPU per item: a share of one core at a rate per second, in microseconds. */
const cpuMicroseconds = (cpuShare: number, rate: number): string => ((cpuShare / rate) * 1e6).toFixed(0);

function commitLine(stats: HubStatus['commits']): string {
  const perBatch = stats.batches === 0 ? 0 : stats.writes / stats.batches;
  return `hub commits: ${formatInt(stats.batches)} batches, ${formatInt(stats.writes)} writes (${perBatch.toFixed(1)} per batch), largest batch ${formatInt(stats.largestBatch)}`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const sections = selectedSections(argv);
  process.stdout.write(`Switchboard bench — node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'})\n`);
  // Other work on the machine shares the cores with the hub and the clients: show how busy it was.
  const load = loadavg().map((l) => l.toFixed(2));
  process.stdout.write(`load average before the run: ${load.join(' ')}\n`);
  process.stdout.write(`${CONTENT_BYTES}-byte messages, window ${formatInt(WINDOW)} in flight, hub in a child process\n`);
  if (argv.length === 0 && !sections.has('dashboard')) process.stdout.write(`dashboard: skipped, no Chromium at ${CHROMIUM} (set SWITCHBOARD_CHROMIUM)\n`);
  if (sections.has('tasks')) {
    process.stdout.write(
      `tasks: 1 master, ${TASK_CHILDREN} children in one role, window ${formatInt(TASK_WINDOW)}, maxTasksInFlight ${TASK_SETTINGS.maxTasksInFlight} per child\n`,
    );
  }
  process.stdout.write('\n');
  const rows: Row[] = [];
  let commits: HubStatus['commits'] | undefined;
  if (sections.has('throughput') || sections.has('latency')) {
    const hub = await startHubProcess();
    try {
      if (sections.has('throughput')) rows.push(...(await throughputRows(hub)));
      if (sections.has('latency')) rows.push(...(await latencyRows(hub)));
      commits = (await hub.status()).commits;
    } finally {
      await hub.stop();
    }
  }
  if (sections.has('memory')) rows.push(...(await memoryRows()));
  if (sections.has('tasks')) rows.push(...(await taskRows()));
  if (sections.has('metrics')) rows.push(...(await metricsRows()));
  if (sections.has('flood')) rows.push(...(await floodRows()));
  if (sections.has('dashboard')) rows.push(...(await dashboardRows()));
  process.stdout.write(`${table(rows)}\n`);
  if (commits !== undefined) process.stdout.write(`\n${commitLine(commits)}\n`);
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    void stopAllHubs().finally(() => process.exit(130));
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    // Interrupted: the runs fail as their hubs go away; the signal handler cleans up and exits.
    if (interrupted) return;
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
