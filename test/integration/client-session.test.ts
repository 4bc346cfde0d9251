/** The client core without a token, as the dashboard in a browser uses it: the session cookie on the upgrade does the work. */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { HubError, SwitchboardClient, webSocketTransport, type TransportFactory } from '../../shared/client/index.js';
import type { StoredMessage } from '../../shared/index.js';
import { api, useHub } from '../helpers/hub.js';
import { logIn } from '../helpers/sessions.js';
import { FAST } from '../helpers/sdk.js';

/** `ws` sending a Cookie header on the upgrade, as a browser does on a same-origin WebSocket. */
function browserLike(cookie?: string): TransportFactory {
  return webSocketTransport(
    class extends WebSocket {
      constructor(url: string) {
        super(url, cookie === undefined ? {} : { headers: { cookie } });
      }
    },
  );
}

describe('a client without a token', () => {
  const ctx = useHub({ helloTimeoutMs: 300 });
  const clients: SwitchboardClient[] = [];
  const client = (cookie?: string): SwitchboardClient => {
    const c = new SwitchboardClient({ url: ctx.hub.wsUrl, transport: browserLike(cookie), reconnect: FAST });
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });

  it('connects on a session cookie: sends no hello, is greeted as the person, and sends and receives', async () => {
    const browser = client(await logIn(ctx.hub));
    await browser.start();
    const got: StoredMessage[] = [];
    browser.subscribe(['general'], (m) => got.push(m), { since: 0 });
    const stored = await browser.send('general', 'typed in the dashboard');
    const frames = ((await api(ctx.hub, 'GET', '/ws/status')).body['frames'] ?? {}) as Record<string, number>;
    expect({ agent: browser.agent, status: browser.status, sender: stored.sender, got: got.map((m) => m.content), hellos: frames['hello'] ?? 0 }).toEqual({
      agent: 'user',
      status: 'connected',
      sender: 'user',
      got: ['typed in the dashboard'],
      hellos: 0,
    });
  });

  it('fails start() with SB_ERR_AUTH and stops when the hub did not recognise the upgrade', async () => {
    const stranger = client();
    const error = await stranger.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect({ isHubError: error instanceof HubError, code: (error as HubError).code, message: (error as HubError).message, status: stranger.status }).toEqual({
      isHubError: true,
      code: 'SB_ERR_AUTH',
      message: expect.stringMatching(/^SB_ERR_AUTH_TIMEOUT: /),
      status: 'closed',
    });
  });

  it('fails start() at once with SB_ERR_AUTH when the session was ended', async () => {
    const cookie = await logIn(ctx.hub);
    await fetch(`${ctx.hub.http}/api/logout`, { method: 'POST', headers: { cookie } });
    const stale = client(cookie);
    const error = (await stale.start().catch((e: unknown) => e)) as HubError;
    expect({ code: error.code, message: error.message, status: stale.status }).toEqual({
      code: 'SB_ERR_AUTH',
      message: expect.stringMatching(/^SB_ERR_AUTH: the browser session has expired or was ended/),
      status: 'closed',
    });
  });
});
