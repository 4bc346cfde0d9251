/** Interactions ingested per second: agents pipeline the seed's metrics frame; one counts once acknowledged (stored, rolled up, judged by the alert rules). */
import { performance } from 'node:perf_hooks';
import { connectClient, intAfter, RE_KEY, startsWith, type BenchClient } from './client.js';
import type { HubProcess } from './hub-process.js';

export interface IngestOptions {
  /** Agents reporting at once, each on its own connection. */
  agents: number;
  /** Most frames one agent has sent and not yet had acknowledged. */
  window: number;
  maxInteractions: number;
  maxSeconds: number;
  /** Prefix of the agents' names, so a warm-up and a measured run report as different agents. */
  name: string;
  /** One interaction in this many fails (with `error_type: "Timeout"`); 0 for none. */
  failEvery: number;
}

export interface IngestResult {
  interactions: number;
  seconds: number;
  rate: number;
  hubCpu: number;
  clientCpu: number;
}

/** The metrics ack carries `re` after `interaction_id`, so only its start is matched. */
const ACK = Buffer.from('{"type":"ack",');

/** The seed's record with a response time and an outcome; the hub stamps the time. */
function frame(id: number, failed: boolean): string {
  const ms = 100 + ((id * 7919) % 2900);
  return (
    `{"type":"metrics","id":${id},"data":{"session_id":"bench","user_input":"read the file and summarise it","intent":"read_file",` +
    `"tools_used":[{"tool":"read","params":{}},"summarise"],"response_time_ms":${ms},"success":${failed ? 'false' : 'true'},"error_type":${failed ? '"Timeout"' : 'null'}}}`
  );
}

export async function measureIngest(hub: HubProcess, options: IngestOptions): Promise<IngestResult> {
  const clients: BenchClient[] = [];
  for (let i = 0; i < options.agents; i++) clients.push(await connectClient(hub, `${options.name}-${i}`));
  try {
    const hubBefore = hub.procCpuSeconds();
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    const perAgent = Math.ceil(options.maxInteractions / options.agents);
    const done = await Promise.all(clients.map((client) => run(client, options, perAgent, started + options.maxSeconds * 1000)));
    const seconds = (performance.now() - started) / 1000;
    const client = process.cpuUsage(clientBefore);
    const interactions = done.reduce((a, b) => a + b, 0);
    return {
      interactions,
      seconds,
      rate: interactions / seconds,
      hubCpu: (hub.procCpuSeconds() - hubBefore) / seconds,
      clientCpu: (client.user + client.system) / 1e6 / seconds,
    };
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
}

/** One agent: keeps `window` frames in flight until `max` were sent or the deadline passed; resolves with the acknowledged count. */
function run(client: BenchClient, options: IngestOptions, max: number, deadline: number): Promise<number> {
  let sent = 0;
  let acked = 0;
  let sending = true;
  let pumpScheduled = false;
  return new Promise((resolve, reject) => {
    const pump = (): void => {
      pumpScheduled = false;
      if (sending && (sent >= max || performance.now() >= deadline)) sending = false;
      if (!sending) {
        if (acked === sent) resolve(acked);
        return;
      }
      const room = Math.min(options.window - (sent - acked), max - sent);
      if (room <= 0) return;
      const frames = new Array<string>(room);
      for (let i = 0; i < room; i++) {
        const id = ++sent;
        frames[i] = frame(id, options.failEvery > 0 && id % options.failEvery === 0);
      }
      client.sendBatch(frames);
    };
    client.ws.on('message', (data: Buffer) => {
      if (!startsWith(data, ACK)) {
        sending = false;
        reject(new Error(`the agent got ${data.toString('utf8').slice(0, 300)}`));
        return;
      }
      const re = intAfter(data, RE_KEY);
      if (re !== acked + 1) reject(new Error(`ack for ${re} after ${acked}: acks out of order`));
      acked = re;
      if (!pumpScheduled) {
        pumpScheduled = true;
        process.nextTick(pump);
      }
    });
    client.ws.on('close', (code, reason) => {
      if (sending || acked < sent) reject(new Error(`a connection closed during the run: ${code} ${reason.toString('utf8')}`));
    });
    pump();
  });
}
