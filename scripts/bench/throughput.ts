/** Durable throughput: one pipelining publisher, N subscribers; a message counts once acked and delivered to all. */
import { performance } from 'node:perf_hooks';
import { ACK, connectClient, intAfter, NEW_MESSAGE, RE_KEY, startsWith, withCpu, type BenchClient } from './client.js';
import type { HubProcess } from './hub-process.js';

export interface ThroughputOptions {
  conversation: string;
  subscribers: number;
  /** Most messages sent but not yet complete (acked and delivered to every subscriber). */
  window: number;
  maxMessages: number;
  maxSeconds: number;
  contentBytes: number;
}

export interface ThroughputResult {
  messages: number;
  seconds: number;
  /** Complete messages per second. */
  rate: number;
  deliveries: number;
  /** CPU used during the run as a share of one core: the hub, and this process (all the clients). */
  hubCpu: number;
  clientCpu: number;
}

const SEQ_KEY = Buffer.from('"seq":');
const DUPLICATE_FALSE = Buffer.from('"duplicate":false');

export async function measureThroughput(hub: HubProcess, options: ThroughputOptions): Promise<ThroughputResult> {
  const publisher = await connectClient(hub, 'bench-publisher');
  const subscribers: BenchClient[] = [];
  for (let i = 0; i < options.subscribers; i++) {
    const client = await connectClient(hub, `bench-subscriber-${i}`);
    await client.subscribe(options.conversation);
    subscribers.push(client);
  }
  try {
    return await withCpu(hub, () => run(publisher, subscribers, options));
  } finally {
    await Promise.all([publisher, ...subscribers].map((client) => client.close()));
  }
}

function run(publisher: BenchClient, subscribers: readonly BenchClient[], options: ThroughputOptions): Promise<Omit<ThroughputResult, 'hubCpu' | 'clientCpu'>> {
  const content = 'x'.repeat(options.contentBytes);
  const prefix = `{"type":"send_message","conversation_id":${JSON.stringify(options.conversation)},"content":"${content}","id":`;
  const delivered = new Array<number>(subscribers.length).fill(0);
  const lastSeq = new Array<number>(subscribers.length).fill(0);
  let sent = 0;
  let acked = 0;
  let sending = true;
  let pumpScheduled = false;
  const started = performance.now();
  const deadline = started + options.maxSeconds * 1000;

  return new Promise((resolve, reject) => {
    const fail = (message: string): void => {
      sending = false;
      reject(new Error(message));
    };
    const completed = (): number => Math.min(acked, ...delivered);

    // Runs once per batch of incoming frames: tops the window up in one write, or finishes.
    const pump = (): void => {
      pumpScheduled = false;
      const done = completed();
      if (sending && (sent >= options.maxMessages || performance.now() >= deadline)) sending = false;
      if (!sending) {
        if (done === sent) {
          const seconds = (performance.now() - started) / 1000;
          resolve({ messages: sent, seconds, rate: sent / seconds, deliveries: delivered.reduce((a, b) => a + b, 0) });
        }
        return;
      }
      const room = Math.min(options.window - (sent - done), options.maxMessages - sent);
      if (room <= 0) return;
      const frames = new Array<string>(room);
      for (let i = 0; i < room; i++) frames[i] = `${prefix}${++sent}}`;
      publisher.sendBatch(frames);
    };
    const schedulePump = (): void => {
      if (pumpScheduled) return;
      pumpScheduled = true;
      process.nextTick(pump);
    };

    publisher.ws.on('message', (data: Buffer) => {
      if (!startsWith(data, ACK)) return fail(`the publisher got ${data.toString('utf8').slice(0, 300)}`);
      const re = intAfter(data, RE_KEY);
      if (re !== acked + 1) return fail(`ack for ${re} after ${acked}: acks out of order`);
      if (data.indexOf(DUPLICATE_FALSE) < 0) return fail('an ack said duplicate');
      acked = re;
      schedulePump();
    });
    subscribers.forEach((client, index) => {
      client.ws.on('message', (data: Buffer) => {
        if (!startsWith(data, NEW_MESSAGE)) return fail(`subscriber ${index} got ${data.toString('utf8').slice(0, 300)}`);
        const seq = intAfter(data, SEQ_KEY);
        if (seq <= (lastSeq[index] as number)) return fail(`subscriber ${index} got seq ${seq} after ${String(lastSeq[index])}`);
        lastSeq[index] = seq;
        delivered[index] = (delivered[index] as number) + 1;
        schedulePump();
      });
    });
    for (const client of [publisher, ...subscribers]) {
      client.ws.on('close', (code, reason) => {
        if (sending || completed() < sent) fail(`a connection closed during the run: ${code} ${reason.toString('utf8')}`);
      });
    }
    pump();
  });
}
