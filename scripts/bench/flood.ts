/**
 * A flood of bad frames: one agent's send→ack round trip while the hub is quiet and while other connections
 * send malformed and deeply nested frames as fast as the hub answers them, and the hub's memory before,
 * at its peak and after.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ACK, connectClient, startsWith, type BenchClient } from './client.js';
import type { HubProcess } from './hub-process.js';
import { percentiles, type Percentiles } from './report.js';

export interface FloodOptions {
  /** Connections sending bad frames at once (each also counted as flooding in the report). */
  flooders: number;
  /** How long each phase (quiet, flood) lasts. */
  seconds: number;
  /** Frames a flooder sends before it waits for the hub to have answered them. */
  batch: number;
  /** Wait after the flood before memory is read again. */
  settleMs: number;
}

export interface FloodResult {
  quiet: Percentiles;
  flooded: Percentiles;
  /** Round trips measured in each phase. */
  roundTrips: { quiet: number; flooded: number };
  badFrames: number;
  badBytes: number;
  rss: { before: number; peak: number; after: number };
  /** The hub's JS heap in use (as it reports it; no GC is forced). */
  heap: { before: number; after: number };
}

/**
 * The bad frames, in turn: not JSON, no such type, failing its schema, an unclosed 64 KiB `[[[[…`, and a
 * message whose payload nests 10,000 levels deep. Every 50th frame is a good ping, so the flooder stays
 * under the hub's budget of malformed frames in a row and is never closed: the worst case.
 */
const BAD_FRAMES = [
  'this is not json',
  '{"type":"no_such_type"}',
  '{"type":"send_message","conversation_id":"bench-flood"}',
  '['.repeat(64 * 1024),
  `{"type":"send_message","conversation_id":"bench-flood","content":"x","payload":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
];
const GOOD_EVERY = 50;
const PONG = Buffer.from('{"type":"pong"');

const nowNs = (): number => Number(process.hrtime.bigint());

/** Sequential send→ack round trips, one every millisecond or so, until `stop()` is true. */
async function roundTrips(client: BenchClient, conversation: string, stop: () => boolean): Promise<Float64Array> {
  const times: number[] = [];
  let pending: { resolve: () => void; sent: number } | undefined;
  client.ws.on('message', (data: Buffer) => {
    if (!startsWith(data, ACK) || pending === undefined) return;
    times.push(nowNs() - pending.sent);
    pending.resolve();
  });
  for (let i = 0; !stop(); i++) {
    await new Promise<void>((resolve) => {
      pending = { resolve, sent: nowNs() };
      client.ws.send(`{"type":"send_message","id":${i},"conversation_id":"${conversation}","content":"round trip ${i}"}`);
    });
    await sleep(1);
  }
  return Float64Array.from(times);
}

/**
 * Sends batches of `batch` frames (rounded to whole groups of GOOD_EVERY, each group's last a good ping) and
 * waits for every pong of one batch, so the hub has answered all of it, before sending the next.
 */
async function flood(client: BenchClient, stop: () => boolean, batch: number): Promise<{ frames: number; bytes: number }> {
  const groups = Math.max(1, Math.round(batch / GOOD_EVERY));
  let frames = 0;
  let bytes = 0;
  let onPong = (): void => {};
  client.ws.on('message', (data: Buffer) => {
    if (startsWith(data, PONG)) onPong();
  });
  while (!stop()) {
    const out: string[] = [];
    for (let g = 0; g < groups; g++) {
      for (let i = 1; i < GOOD_EVERY; i++) {
        const frame = BAD_FRAMES[frames++ % BAD_FRAMES.length] as string;
        out.push(frame);
        bytes += frame.length;
      }
      out.push('{"type":"ping"}');
    }
    let pongs = 0;
    await new Promise<void>((resolve) => {
      onPong = () => {
        if (++pongs === groups) resolve();
      };
      client.sendBatch(out);
    });
  }
  return { frames, bytes };
}

export async function measureFlood(hub: HubProcess, options: FloodOptions): Promise<FloodResult> {
  const quietClient = await connectClient(hub, 'bench-flood-quiet');
  const flooders = await Promise.all(Array.from({ length: options.flooders }, (_, i) => connectClient(hub, `bench-flooder-${i}`)));
  try {
    // Warm-up, then the quiet phase.
    let deadline = Date.now() + 1000;
    await roundTrips(quietClient, 'bench-flood-warmup', () => Date.now() > deadline);
    deadline = Date.now() + options.seconds * 1000;
    const quiet = await roundTrips(quietClient, 'bench-flood-quiet', () => Date.now() > deadline);
    await sleep(options.settleMs);
    const heapBefore = (await hub.status()).memory.heap_used;
    const before = hub.procRss();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, hub.procRss())), 20);
    deadline = Date.now() + options.seconds * 1000;
    const stop = (): boolean => Date.now() > deadline;
    const floods = Promise.all(flooders.map((f) => flood(f, stop, options.batch)));
    const flooded = await roundTrips(quietClient, 'bench-flood-loud', stop);
    const sent = await floods;
    clearInterval(sampler);
    await Promise.all(flooders.map((f) => f.close()));
    await sleep(options.settleMs);
    const after = hub.procRss();
    const heapAfter = (await hub.status()).memory.heap_used;
    return {
      quiet: percentiles(quiet),
      flooded: percentiles(flooded),
      roundTrips: { quiet: quiet.length, flooded: flooded.length },
      badFrames: sent.reduce((sum, s) => sum + s.frames, 0),
      badBytes: sent.reduce((sum, s) => sum + s.bytes, 0),
      rss: { before, peak, after },
      heap: { before: heapBefore, after: heapAfter },
    };
  } finally {
    await Promise.all([quietClient.close(), ...flooders.map((f) => f.close())]);
  }
}
