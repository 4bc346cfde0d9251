/** Publish→deliver latency at a fixed rate: paced sends stamped with process.hrtime, one subscriber in the same process. */
import { ACK, connectClient, intAfter, NEW_MESSAGE, RE_KEY, startsWith } from './client.js';
import type { HubProcess } from './hub-process.js';
import { percentiles, type Percentiles } from './report.js';

export type { Percentiles } from './report.js';

export interface LatencyOptions {
  conversation: string;
  ratePerSecond: number;
  seconds: number;
  /** Sent first at the same rate and left out of the figures. */
  warmupSeconds: number;
  contentBytes: number;
}

export interface LatencyResult {
  /** Measured messages (after the warm-up). */
  messages: number;
  /** Milliseconds from the send to the subscriber's `new_message`. */
  deliver: Percentiles;
  /** Milliseconds from the send to the publisher's `ack`. */
  ack: Percentiles;
  /**
   * Milliseconds the bench's own 1 ms pacing timer fired late: how much the machine's scheduling (other
   * processes on the same cores) delays a process that does almost nothing. A floor under the figures above.
   */
  timerLateness: Percentiles;
}

const CONTENT_KEY = Buffer.from('"content":"');
const TICK_MS = 1;
const DRAIN_TIMEOUT_MS = 10_000;

const nowNs = (): number => Number(process.hrtime.bigint());

export async function measureLatency(hub: HubProcess, options: LatencyOptions): Promise<LatencyResult> {
  const publisher = await connectClient(hub, 'bench-latency-publisher');
  const subscriber = await connectClient(hub, 'bench-latency-subscriber');
  await subscriber.subscribe(options.conversation);
  const warmup = Math.round(options.ratePerSecond * options.warmupSeconds);
  const total = warmup + Math.round(options.ratePerSecond * options.seconds);
  const sentAt = new Float64Array(total + 1);
  const ackNs = new Float64Array(total + 1);
  const deliverNs = new Float64Array(total + 1);
  const padding = 'x'.repeat(Math.max(0, options.contentBytes - 10));
  const prefix = `{"type":"send_message","conversation_id":${JSON.stringify(options.conversation)},"content":"`;
  let acked = 0;
  let delivered = 0;
  const lateness: number[] = [];

  try {
    await new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (acked === total && delivered === total) resolve();
      };
      publisher.ws.on('message', (data: Buffer) => {
        if (!startsWith(data, ACK)) return reject(new Error(`the publisher got ${data.toString('utf8').slice(0, 300)}`));
        const index = intAfter(data, RE_KEY);
        ackNs[index] = nowNs() - (sentAt[index] as number);
        acked++;
        check();
      });
      subscriber.ws.on('message', (data: Buffer) => {
        if (!startsWith(data, NEW_MESSAGE)) return reject(new Error(`the subscriber got ${data.toString('utf8').slice(0, 300)}`));
        const index = intAfter(data, CONTENT_KEY);
        deliverNs[index] = nowNs() - (sentAt[index] as number);
        delivered++;
        check();
      });

      // Each tick sends as many messages as the rate says should have gone by now.
      let sent = 0;
      const start = nowNs();
      let lastTick = start;
      const timer = setInterval(() => {
        const tick = nowNs();
        lateness.push(Math.max(0, tick - lastTick - TICK_MS * 1e6));
        lastTick = tick;
        const due = Math.min(total, Math.floor(((nowNs() - start) / 1e9) * options.ratePerSecond));
        if (due <= sent) return;
        const frames: string[] = [];
        while (sent < due) {
          const index = ++sent;
          frames.push(`${prefix}${String(index).padStart(10, '0')}${padding}","id":${index}}`);
        }
        const stamp = nowNs();
        for (let i = sent - frames.length + 1; i <= sent; i++) sentAt[i] = stamp;
        publisher.sendBatch(frames);
        if (sent === total) {
          clearInterval(timer);
          setTimeout(() => reject(new Error(`only ${acked} acks and ${delivered} deliveries of ${total} arrived`)), DRAIN_TIMEOUT_MS).unref();
        }
      }, TICK_MS);
    });
  } finally {
    await Promise.all([publisher.close(), subscriber.close()]);
  }
  return {
    messages: total - warmup,
    deliver: percentiles(deliverNs.subarray(warmup + 1)),
    ack: percentiles(ackNs.subarray(warmup + 1)),
    timerLateness: percentiles(Float64Array.from(lateness)),
  };
}
