/**
 * Durable throughput: one pipelining publisher, N subscribers; a message counts once acked and delivered to
 * all. The publisher sends one `send_message` per message, or `send_batch` frames as the SDK does.
 */
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
  /** Messages per `send_batch` frame; without it, one `send_message` frame each. */
  batch?: number;
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
const BATCH_ACK = Buffer.from('{"type":"batch_ack"');

/** The frames that send messages `first`…`first + count - 1`: one each, or `send_batch` frames of up to `batch`. */
function framesFor(options: ThroughputOptions, first: number, count: number): string[] {
  const content = JSON.stringify('x'.repeat(options.contentBytes));
  const conversation = JSON.stringify(options.conversation);
  const ids = Array.from({ length: count }, (_, i) => first + i);
  if (options.batch === undefined) return ids.map((id) => `{"type":"send_message","conversation_id":${conversation},"content":${content},"id":${id}}`);
  const frames: string[] = [];
  for (let at = 0; at < count; at += options.batch) {
    const entries = ids.slice(at, at + options.batch).map(() => `{"conversation_id":${conversation},"content":${content}}`);
    frames.push(`{"type":"send_batch","id":${first + at},"messages":[${entries.join(',')}]}`);
  }
  return frames;
}

/** How many messages an acknowledgement covers, starting at its `re`; throws when it is not a clean one. */
function acknowledged(data: Buffer): number {
  if (startsWith(data, ACK)) {
    if (data.indexOf(DUPLICATE_FALSE) < 0) throw new Error('an ack said duplicate');
    return 1;
  }
  if (!startsWith(data, BATCH_ACK)) throw new Error(`the publisher got ${data.toString('utf8').slice(0, 300)}`);
  const { results } = JSON.parse(data.toString('utf8')) as { results: { duplicate?: boolean }[] };
  if (results.some((result) => result.duplicate !== false)) throw new Error(`a batch was not stored: ${data.toString('utf8').slice(0, 300)}`);
  return results.length;
}

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
      publisher.sendBatch(framesFor(options, sent + 1, room));
      sent += room;
    };
    const schedulePump = (): void => {
      if (pumpScheduled) return;
      pumpScheduled = true;
      process.nextTick(pump);
    };

    publisher.ws.on('message', (data: Buffer) => {
      const re = intAfter(data, RE_KEY);
      if (re !== acked + 1) return fail(`ack for ${re} after ${acked}: acks out of order`);
      try {
        acked += acknowledged(data);
      } catch (error) {
        return fail((error as Error).message);
      }
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
