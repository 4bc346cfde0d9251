/**
 * `npm run bench:federation`: a federation simulation on one machine. Starts one `nats-server -js` and N
 * real hubs (`switchboard serve`, each with a `federation` section), puts a publisher and a subscriber on
 * every hub, has every publisher send into one shared conversation at a fixed rate, and reports what
 * each federated message costs: hub CPU per message stored (local and remote), NATS CPU per message
 * published, and publish → delivery latency on the other hubs.
 *
 * Usage: node dist/scripts/federation-sim.js [hubs=5] [msgs/s per hub=100] [seconds=10]
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectClient, NEW_MESSAGE, startsWith, type BenchClient } from './bench/client.js';
import { startHubProcess, stopAllHubs, type HubProcess } from './bench/hub-process.js';
import { startNats } from './bench/nats-process.js';
import { formatInt, formatMs, percentiles, table } from './bench/report.js';

const CONVERSATION = 'team-sim';
const CONTENT_BYTES = 256;
/** How long the hubs may take to bring every message across after the last one was sent. */
const DRAIN_SECONDS = 60;

const [hubCount = 5, rate = 100, seconds = 10] = process.argv.slice(2).map(Number);

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Member {
  hub: HubProcess;
  publisher: BenchClient;
  subscriber: BenchClient;
  /** Messages the subscriber got: all, and the remote ones' publish → delivery times in ns. */
  received: number;
  latencies: number[];
}

async function main(): Promise<void> {
  const nats = await startNats();
  const members: Member[] = [];
  try {
    for (let i = 0; i < hubCount; i++) {
      const hub = await startHubProcess({ federation: { url: nats.url, hubId: `hub${i + 1}`, conversations: ['team-*'] } });
      const publisher = await connectClient(hub, `sim-publisher-${i + 1}`);
      const subscriber = await connectClient(hub, `sim-subscriber-${i + 1}`);
      await subscriber.subscribe(CONVERSATION);
      const member: Member = { hub, publisher, subscriber, received: 0, latencies: [] };
      subscriber.ws.on('message', (data: Buffer) => {
        if (!startsWith(data, NEW_MESSAGE)) return;
        member.received++;
        const frame = JSON.parse(data.toString('utf8')) as { content: string; origin_hub?: string };
        if (frame.origin_hub === undefined) return;
        const { t } = JSON.parse(frame.content) as { t: number };
        member.latencies.push((performance.timeOrigin + performance.now() - t) * 1e6);
      });
      members.push(member);
    }
    await sleep(2000); // every hub connected to NATS and its consumer made
    const natsPid = nats.pid();
    const cpu0 = members.map((m) => cpuSeconds(m.hub.pid));
    const natsCpu0 = natsPid === undefined ? 0 : cpuSeconds(natsPid);
    const started = performance.now();
    const total = Math.round(rate * seconds);
    let sent = 0;
    const padding = 'x'.repeat(CONTENT_BYTES - 40);
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
      for (; sent < due; sent++) {
        for (const member of members) {
          const content = JSON.stringify({ t: performance.timeOrigin + performance.now(), i: sent, padding });
          member.publisher.sendBatch([JSON.stringify({ type: 'send_message', conversation_id: CONVERSATION, content })]);
        }
      }
      await sleep(5);
    }
    const expected = total * hubCount;
    const drainDeadline = performance.now() + DRAIN_SECONDS * 1000;
    while (members.some((m) => m.received < expected) && performance.now() < drainDeadline) await sleep(50);
    const elapsed = (performance.now() - started) / 1000;
    const hubCpu = members.map((m, i) => cpuSeconds(m.hub.pid) - (cpu0[i] as number));
    const natsCpu = natsPid === undefined ? Number.NaN : cpuSeconds(natsPid) - natsCpu0;
    const latencies = percentiles(Float64Array.from(members.flatMap((m) => m.latencies)));
    const missing = members.reduce((sum, m) => sum + Math.max(0, expected - m.received), 0);
    const meanHubCpu = hubCpu.reduce((a, b) => a + b, 0) / hubCount;

    console.log(
      `\n${hubCount} hubs, one NATS server (JetStream, file store), ${rate} msgs/s sent on each hub for ${seconds} s, ${CONTENT_BYTES}-byte messages\n`,
    );
    console.log(
      table([
        { measure: 'messages sent (all hubs)', result: formatInt(total * hubCount), target: '' },
        {
          measure: 'deliveries on every hub (local + remote)',
          result: `${formatInt(expected)} per hub, ${formatInt(missing)} missing`,
          target: '0 missing',
          pass: missing === 0,
        },
        {
          measure: 'publish -> delivery on another hub, ms',
          result: `p50 ${formatMs(latencies.p50)}  p99 ${formatMs(latencies.p99)}  max ${formatMs(latencies.max)}`,
          target: '',
        },
        {
          measure: 'hub CPU per message stored (local or remote)',
          result: `${((meanHubCpu / expected) * 1e6).toFixed(1)} µs (mean hub ${((meanHubCpu / elapsed) * 100).toFixed(0)}% of a core)`,
          target: '',
        },
        {
          measure: 'NATS CPU per message published',
          result: `${((natsCpu / (total * hubCount)) * 1e6).toFixed(1)} µs (${((natsCpu / elapsed) * 100).toFixed(0)}% of a core)`,
          target: '',
        },
      ]),
    );
  } finally {
    await Promise.all(members.flatMap((m) => [m.publisher.close(), m.subscriber.close()]));
    await stopAllHubs();
    await nats.stop();
  }
}

await main();
