/** Deeply nested JSON is refused before it is parsed, the same way on WebSocket frames, REST bodies and /mcp. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../shared/index.js';
import { createLogger } from '../../electron/common/logger.js';
import { api, connectAgent, startHub, tempDir, type TestClient, type TestHub } from '../helpers/hub.js';
import { errorBody } from '../helpers/raw-http.js';

/** `depth` arrays inside one another: `[[[…]]]`. */
const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

const tooDeep = `the JSON is nested more than ${MAX_JSON_DEPTH} levels deep`;

/** A hub that writes its log file, to check what deep input leaves in it. */
async function loggingHub(): Promise<TestHub & { log: () => string }> {
  const dataDir = tempDir();
  const file = join(dataDir, 'logs', 'hub.log');
  const hub = await startHub({ dataDir }, { logger: createLogger({ file, level: 'debug' }) });
  return { ...hub, log: () => (existsSync(file) ? readFileSync(file, 'utf8') : '') };
}

describe('JSON nesting limit', () => {
  let hub: (TestHub & { log: () => string }) | undefined;
  const clients: TestClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await hub?.stop();
    hub = undefined;
  });

  it('answers a frame nested a million levels deep with SB_ERR_VALIDATION, keeps the connection, and logs no stack trace', async () => {
    const h = (hub = await loggingHub());
    const agent = await connectAgent(h, 'deep');
    clients.push(agent);
    const deepPayload = `{"type":"send_message","id":"d1","conversation_id":"general","content":"x","payload":${nested(500_000)}}`;
    agent.send(deepPayload);
    const refusal = await agent.next('error');
    agent.send(nested(500 * 1024));
    const bare = await agent.next('error');
    const atLimit = await agent.request({
      type: 'send_message',
      conversation_id: 'general',
      content: 'deep but allowed',
      payload: JSON.parse(nested(MAX_JSON_DEPTH - 1)),
    });
    const stored = await api(h, 'GET', '/api/conversations/general/messages?since=0');
    expect({
      refusal,
      bare,
      atLimit: atLimit.type,
      stored: (stored.body['messages'] as { content: string }[]).map((m) => m.content),
      open: agent.closed,
      stack: /\bat .*\(.*:\d+:\d+\)/.test(h.log()),
    }).toEqual({
      refusal: { type: 'error', code: 'SB_ERR_VALIDATION', message: tooDeep },
      bare: { type: 'error', code: 'SB_ERR_VALIDATION', message: tooDeep },
      atLimit: 'ack',
      stored: ['deep but allowed'],
      open: undefined,
      stack: false,
    });
  });

  it('answers a REST body nested too deep with 400 SB_ERR_VALIDATION and stores nothing', async () => {
    const h = (hub = await loggingHub());
    const deep = await api(h, 'POST', '/api/messages', {
      body: `{"conversation_id":"general","content":"x","payload":${nested(500_000)}}`,
    });
    const metrics = await api(h, 'POST', '/api/metrics', { body: nested(200_000) });
    const stored = await api(h, 'GET', '/api/conversations/general/messages?since=0');
    expect({ deep, metrics, stored: stored.body['messages'], stack: /\bat .*\(.*:\d+:\d+\)/.test(h.log()) }).toEqual({
      deep: { status: 400, body: errorBody('SB_ERR_VALIDATION', tooDeep) },
      metrics: { status: 400, body: errorBody('SB_ERR_VALIDATION', tooDeep) },
      stored: [],
      stack: false,
    });
  });

  it('answers an /mcp request nested too deep with 400 SB_ERR_VALIDATION before the MCP SDK sees it', async () => {
    const h = (hub = await loggingHub());
    const initialize = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"${LATEST_PROTOCOL_VERSION}","capabilities":${nested(300_000).replace('[]', '{}')},"clientInfo":{"name":"raw","version":"1"}}}`;
    const response = await fetch(`${h.http}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: initialize,
    });
    expect({ status: response.status, body: await response.json(), stack: /\bat .*\(.*:\d+:\d+\)/.test(h.log()) }).toEqual({
      status: 400,
      body: errorBody('SB_ERR_VALIDATION', tooDeep),
      stack: false,
    });
  });
});
