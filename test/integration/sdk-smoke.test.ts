import { describe, expect, it } from 'vitest';
import { connect } from '../../sdk/index.js';
import { useHub } from '../helpers/hub.js';
import type { StoredMessage } from '../../shared/index.js';

const ctx = useHub();

describe('sdk smoke', () => {
  it('connects with connection.json, sends, receives and runs a task', async () => {
    const alice = await connect({ dataDir: ctx.hub.dataDir, agent: 'alice' });
    const bob = await connect({ dataDir: ctx.hub.dataDir, agent: 'bob', profile: { kind: 'checker' } });
    const got: StoredMessage[] = [];
    bob.subscribe(['general'], (m) => got.push(m), { since: 0 });
    const stored = await alice.send('general', 'hi');
    bob.handle('verify', async (task) => ({ ok: true, payload: task.payload }));
    const result = await alice.request({ type: 'task_send', task: { to: 'checker', cmd: 'verify', payload: 1 } });
    const taskId = (result['task'] as { task_id: string }).task_id;
    const done = await new Promise<Record<string, unknown>>((resolve) =>
      alice.on('frame', (f) => {
        if (f.type === 'task_updated' && f['event'] === 'completed' && (f['task'] as { task_id: string }).task_id === taskId) resolve(f);
      }),
    );
    expect({ seq: stored.seq, got: got.map((m) => m.content), result: (done['task'] as { result: unknown }).result }).toEqual({
      seq: 1,
      got: ['hi'],
      result: { ok: true, payload: 1 },
    });
    await alice.close();
    await bob.close();
  });
});
