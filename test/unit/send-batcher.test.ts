/** How the client splits the sends of one turn into frames: by the hub's message and byte limits, or not at all. */
import { describe, expect, it } from 'vitest';
import { SendBatcher, type BatchLimits } from '../../shared/client/send-batcher.js';
import type { OutboxEntry } from '../../shared/client/outbox.js';

const entry = (n: number, content = `m${n}`): OutboxEntry => ({
  client_msg_id: `c${n}`,
  frame: { type: 'send_message', conversation_id: 'general', content, client_msg_id: `c${n}` },
});

/** Queues the entries in one turn and returns the frames written, parsed. */
async function framesFor(entries: OutboxEntry[], limits: BatchLimits | undefined): Promise<Record<string, unknown>[]> {
  const written: string[] = [];
  const batcher = new SendBatcher(
    (text) => (written.push(text), true),
    () => limits,
  );
  for (const e of entries) batcher.add(e);
  expect(written).toEqual([]);
  await Promise.resolve();
  return written.map((text) => JSON.parse(text) as Record<string, unknown>);
}

const sizes = (frames: Record<string, unknown>[]): (string | number)[] =>
  frames.map((f) => (f['type'] === 'send_batch' ? (f['messages'] as unknown[]).length : String(f['type'])));

describe('coalescing sends into batches', () => {
  it('sends one send_batch for a turn, its entries without type and in order, remembering their ids by request id', async () => {
    const written: string[] = [];
    const batcher = new SendBatcher(
      (text) => (written.push(text), true),
      () => ({ maxMessages: 1000, maxBytes: 1 << 20 }),
    );
    for (let i = 0; i < 2; i++) batcher.add(entry(i));
    batcher.add({ client_msg_id: 'c2', frame: { ...entry(2).frame, payload: { type: 'kept', n: 2 } } });
    await Promise.resolve();
    const [frame] = written.map((text) => JSON.parse(text) as { id: string; messages: unknown[] });
    expect(frame?.messages).toEqual([
      ...[0, 1].map((i) => ({ conversation_id: 'general', content: `m${i}`, client_msg_id: `c${i}` })),
      { conversation_id: 'general', content: 'm2', client_msg_id: 'c2', payload: { type: 'kept', n: 2 } },
    ]);
    expect(batcher.settle(frame?.id as string)).toEqual(['c0', 'c1', 'c2']);
    expect(batcher.settle(frame?.id as string)).toBeUndefined();
  });

  it('splits at the hub’s message limit', async () => {
    const frames = await framesFor(
      Array.from({ length: 7 }, (_, i) => entry(i)),
      { maxMessages: 3, maxBytes: 1 << 20 },
    );
    expect(sizes(frames)).toEqual([3, 3, 1]);
  });

  it('splits before a frame would pass the hub’s byte limit, counting multi-byte characters as bytes', async () => {
    const wide = 'é'.repeat(400); // 800 bytes of UTF-8 in 400 characters
    const frames = await framesFor(
      Array.from({ length: 4 }, (_, i) => entry(i, wide)),
      { maxMessages: 1000, maxBytes: 2000 },
    );
    expect(sizes(frames)).toEqual([2, 2]);
    for (const frame of frames) expect(Buffer.byteLength(JSON.stringify(frame))).toBeLessThanOrEqual(2000);
  });

  it('sends plain send_message frames to a hub that takes no batches, and a lone send always', async () => {
    expect(sizes(await framesFor([entry(1), entry(2)], undefined))).toEqual(['send_message', 'send_message']);
    const [alone] = await framesFor([entry(1)], { maxMessages: 1000, maxBytes: 1 << 20 });
    expect(alone).toEqual({ type: 'send_message', conversation_id: 'general', content: 'm1', client_msg_id: 'c1', id: 's:c1' });
  });

  it('forgets what it sent after reset (the outbox sends it all again on reconnect)', async () => {
    const written: string[] = [];
    const batcher = new SendBatcher(
      (text) => (written.push(text), true),
      () => ({ maxMessages: 1000, maxBytes: 1 << 20 }),
    );
    batcher.add(entry(1));
    batcher.add(entry(2));
    await Promise.resolve();
    const id = (JSON.parse(written[0] as string) as { id: string }).id;
    batcher.reset();
    expect(batcher.settle(id)).toBeUndefined();
  });
});
