/** Interactions in: the seed's metrics frame over WebSocket, a batch over HTTP, and the SDK's trackInteraction. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { connect } from '../../sdk/index.js';
import { api, useHub } from '../helpers/hub.js';
import { eventually } from '../helpers/wait.js';

const ctx = useHub();

/** The stored interactions, read from the hub's SQLite file. */
function storedInteractions(): Record<string, unknown>[] {
  const db = new Database(join(ctx.hub.dataDir, 'switchboard.db'), { readonly: true });
  try {
    return db
      .prepare('SELECT agent, session_id, user_input, intent, tools_used, response_time_ms, success, error_type FROM interactions ORDER BY id')
      .all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

const seedRecord = {
  session_id: '20261122_100000',
  timestamp: '2026-11-22T10:00:00.123456',
  user_input: 'x'.repeat(300),
  intent: 'read_file',
  tools_used: [{ tool: 'read', params: {} }],
  response_time_ms: 1500,
  success: true,
  error_type: null,
};

describe('metrics ingest', () => {
  it("stores the seed's metrics frame as sent, keeping the first 200 characters of the input, and acknowledges it", async () => {
    const agent = await ctx.agent('assistant');
    const ack = await agent.request({ type: 'metrics', data: seedRecord });
    expect(ack).toEqual({ type: 'ack', re: expect.any(String), interaction_id: 1 });
    expect(storedInteractions()).toEqual([
      {
        agent: 'assistant',
        session_id: '20261122_100000',
        user_input: 'x'.repeat(200),
        intent: 'read_file',
        tools_used: '[{"tool":"read","params":{}}]',
        response_time_ms: 1500,
        success: 1,
        error_type: null,
      },
    ]);
  });

  it('keeps the valid records of an HTTP batch and names the field of each invalid one', async () => {
    const { status, body } = await api(ctx.hub, 'POST', '/api/metrics', {
      body: {
        interactions: [
          seedRecord,
          { ...seedRecord, success: 'yes' },
          { ...seedRecord, response_time_ms: undefined },
          { ...seedRecord, success: false, error_type: 'Timeout' },
        ],
      },
      headers: { 'x-agent-name': 'batcher' },
    });
    expect({ status, body }).toEqual({
      status: 207,
      body: {
        status: 'partial',
        stored: 2,
        ids: [1, 2],
        errors: [
          { index: 1, message: 'success: Invalid input: expected boolean, received string' },
          { index: 2, message: 'response_time_ms: Invalid input: expected number, received undefined' },
        ],
      },
    });
    expect(storedInteractions().map((row) => [row['agent'], row['success'], row['error_type']])).toEqual([
      ['batcher', 1, null],
      ['batcher', 0, 'Timeout'],
    ]);
  });

  it('refuses a metrics frame without success with an error naming the field', async () => {
    const agent = await ctx.agent('assistant');
    const reply = await agent.request({ type: 'metrics', data: { response_time_ms: 5 } });
    expect(reply).toEqual({
      type: 'error',
      re: expect.any(String),
      code: 'SB_ERR_VALIDATION',
      message: 'invalid "metrics" frame: data.success: Invalid input: expected boolean, received undefined',
    });
  });

  it('reports an interaction from the SDK with its intent, tools, time and outcome, also when the work throws', async () => {
    const agent = await connect({ dataDir: ctx.hub.dataDir, agent: 'helper', stateDir: false });
    const answer = await agent.trackInteraction('what is 2+2?', (t) => {
      t.intent('arithmetic');
      t.tool('calculator', { expression: '2+2' });
      return 4;
    });
    await expect(
      agent.trackInteraction('open the pod bay doors', () => {
        throw new RangeError('cannot do that');
      }),
    ).rejects.toThrow('cannot do that');
    const rows = await eventually(() => (storedInteractions().length === 2 ? storedInteractions() : undefined), 'two interactions');
    await agent.close();
    expect({ answer, rows: rows.map((r) => [r['agent'], r['user_input'], r['intent'], r['tools_used'], r['success'], r['error_type']]) }).toEqual({
      answer: 4,
      rows: [
        ['helper', 'what is 2+2?', 'arithmetic', '[{"tool":"calculator","params":{"expression":"2+2"}}]', 1, null],
        ['helper', 'open the pod bay doors', null, '[]', 0, 'RangeError'],
      ],
    });
  });
});
