/** The SDK says on stderr when its outbox drops the oldest sends: once when a burst starts, then the count — never a line per message. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Agent } from '../../sdk/index.js';
import { DROP_SUMMARY_MS } from '../../sdk/outbox-warning.js';
import { startHub, tempFolders, type TestHub } from '../helpers/hub.js';
import { FAST } from '../helpers/sdk.js';
import { eventually } from '../helpers/wait.js';

describe('outbox drop warnings', () => {
  const folder = tempFolders();
  let hub: TestHub | undefined;
  let agent: Agent | undefined;
  afterEach(async () => {
    await agent?.close();
    await hub?.stop();
  });

  it('warns once when a burst of sends overflows the outbox file, then once with how many more were dropped', async () => {
    hub = await startHub();
    const stateDir = folder();
    const lines: string[] = [];
    agent = await connect({
      url: hub.wsUrl,
      token: hub.token,
      agent: 'writer',
      stateDir,
      outboxCapacity: 3,
      reconnect: FAST,
      warn: (line) => lines.push(line),
    });
    await hub.stop();
    await eventually(() => (agent?.status === 'connected' ? undefined : true), 'the agent to notice the hub is gone');

    const refused: string[] = [];
    for (let i = 1; i <= 10; i++) agent.send('general', `message ${i}`).catch((error: { code: string }) => refused.push(error.code));
    expect(lines).toEqual(['switchboard: the outbox is full (3 unsent messages): dropped the oldest one; more sends while the hub is unreachable drop more\n']);
    const saved = JSON.parse(readFileSync(join(stateDir, 'outbox.json'), 'utf8')) as { frame: { content: string } }[];
    expect(saved.map((entry) => entry.frame.content)).toEqual(['message 8', 'message 9', 'message 10']);

    await eventually(() => (lines.length === 2 ? true : undefined), 'the summary of the burst', DROP_SUMMARY_MS + 10_000);
    expect(lines[1]).toBe(`switchboard: the outbox dropped 6 more of its oldest unsent messages in the last ${DROP_SUMMARY_MS / 1000} s\n`);
    expect(refused).toEqual(Array(7).fill('SB_ERR_OUTBOX_FULL'));
  });
});
