/**
 * The federation alert on a hub federated over a real nats-server: killing the server raises it (pushed to
 * the GUI, listed, handed to the desktop hook), and starting the server again resolves it by itself.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FEDERATION_CHECK_MS, type AlertEvent } from '../../electron/hub/alerts/alert-engine.js';
import type { AlertRecord, FederationStatus } from '../../shared/index.js';
import { nextAlert } from '../helpers/alerts.js';
import { api, connectAgent, startHub, type TestHub } from '../helpers/hub.js';
import { startNats } from '../helpers/nats.js';
import { eventually } from '../helpers/wait.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function alerts(hub: TestHub): Promise<AlertRecord[]> {
  return (await api(hub, 'GET', '/api/alerts')).body['alerts'] as AlertRecord[];
}

async function connected(hub: TestHub): Promise<boolean | undefined> {
  const link = (await api(hub, 'GET', '/api/federation')).body['federation'] as FederationStatus;
  return link.enabled && link.connected ? true : undefined;
}

describe('the federation alert', () => {
  it('is raised when the NATS server is gone for longer than federation_down_seconds, and resolves once it is back', async () => {
    const nats = await startNats();
    cleanups.push(() => nats.stop());
    const hub = await startHub({ federation: { url: nats.url, hubId: 'laptop', conversations: ['team-*'] } });
    cleanups.push(() => hub.stop());
    const hooked: AlertEvent[] = [];
    hub.hub.services.alerts.onAlert((event) => hooked.push(event));
    const gui = await connectAgent(hub, 'gui');
    cleanups.push(() => gui.close());
    expect(await gui.request({ type: 'subscribe', alerts: true })).toMatchObject({ type: 'subscribed', alerts: true });
    expect((await api(hub, 'PUT', '/api/alerts/config', { body: { federation_down_seconds: 1 } })).status).toBe(200);
    await eventually(() => connected(hub), 'the hub to connect to NATS');
    await hub.hub.services.alerts.checkFederation();
    expect(await alerts(hub)).toEqual([]);

    await nats.kill();
    const writer = await connectAgent(hub, 'writer');
    cleanups.push(() => writer.close());
    await writer.request({ type: 'send_message', conversation_id: 'team-x', content: 'while NATS is down' });
    const raised = await eventually(
      async () => {
        await hub.hub.services.alerts.checkFederation();
        return (await alerts(hub)).find((alert) => alert.rule === 'federation');
      },
      'the federation alert',
      15_000,
    );
    expect(raised).toMatchObject({
      rule: 'federation',
      subject: 'laptop',
      state: 'open',
      threshold: 1,
      message: expect.stringMatching(
        new RegExp(`^hub "laptop" has not been connected to NATS \\(${nats.url}\\) for \\d+ s \\(threshold 1 s\\); 1 local message waiting to be published`),
      ),
    });
    expect((await nextAlert(gui, 'raised'))['alert']).toMatchObject({ id: raised?.id, rule: 'federation' });

    await nats.start();
    // The hub's own periodic check sees the link back: nobody has to look.
    const resolved = await gui
      .next((frame) => frame.type === 'alert' && frame['event'] === 'resolved', { timeoutMs: FEDERATION_CHECK_MS + 10_000 })
      .then((frame) => frame['alert'] as AlertRecord);
    expect(resolved).toMatchObject({ id: raised?.id, rule: 'federation', subject: 'laptop', state: 'resolved' });
    expect(hooked.map((event) => `${event.event}:${event.alert.rule}`)).toEqual(['raised:federation', 'resolved:federation']);
    expect((await alerts(hub)).map((alert) => `${alert.rule}:${alert.state}`)).toEqual(['federation:resolved']);
  }, 60_000);
});
