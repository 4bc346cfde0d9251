/**
 * The original systems' clients connect at their own URLs (`/` and `/ws/chat`) with only a token header
 * added, through the same checks as `/ws`; a plain GET to a WebSocket path explains itself.
 */
import { describe, expect, it } from 'vitest';
import { errorBody, rawUpgrade } from '../helpers/raw-http.js';
import { openSocket, useHub } from '../helpers/hub.js';

describe('seed-era WebSocket URLs', () => {
  const ctx = useHub();
  const seedHeaders = (): Record<string, string> => ({ authorization: `Bearer ${ctx.hub.token}`, 'x-agent-name': 'yychat' });

  for (const path of ['/', '/ws/chat']) {
    it(`accepts a seed-era client at ws://127.0.0.1:PORT${path} with a token header and answers its heartbeat`, async () => {
      const client = ctx.track(await openSocket(`ws://127.0.0.1:${ctx.hub.port}${path}`, { headers: seedHeaders() }));
      const welcome = await client.next('welcome');
      expect(welcome['agent']).toEqual({ id: 'yychat', admin: true });
      client.send({ type: 'heartbeat', timestamp: 1234567890.123 });
      expect(await client.next('heartbeat_response')).toEqual({ type: 'heartbeat_response', timestamp: 1234567890.123, client_id: welcome['client_id'] });
    });

    it(`refuses an upgrade at ${path} from a foreign Origin or with a wrong token, as at /ws`, async () => {
      const host = `127.0.0.1:${ctx.hub.port}`;
      const foreign = await rawUpgrade(ctx.hub.port, { host, origin: 'http://evil.example', ...seedHeaders() }, path);
      expect(foreign.status).toBe(403);
      expect(foreign.body).toEqual(errorBody('SB_ERR_ORIGIN', expect.any(String)));
      const wrongToken = await rawUpgrade(ctx.hub.port, { host, authorization: 'Bearer sb_wrong' }, path);
      expect(wrongToken.status).toBe(401);
    });
  }

  it('still refuses an upgrade at a path that is no WebSocket endpoint, naming /ws', async () => {
    const refused = await rawUpgrade(ctx.hub.port, { host: `127.0.0.1:${ctx.hub.port}`, ...seedHeaders() }, '/chat');
    expect(refused).toEqual({ status: 404, body: errorBody('SB_ERR_NOT_FOUND', 'no WebSocket endpoint at /chat; use /ws') });
  });

  for (const path of ['/ws', '/ws/chat']) {
    it(`answers a plain GET to ${path} with 426 Upgrade Required, saying it is a WebSocket endpoint and how to connect`, async () => {
      const response = await fetch(`${ctx.hub.http}${path}`);
      expect(response.status).toBe(426);
      expect(response.headers.get('upgrade')).toBe('websocket');
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('SB_ERR_UPGRADE_REQUIRED');
      expect(body.error.message).toContain(`${path} is a WebSocket endpoint`);
      expect(body.error.message).toContain(`ws://127.0.0.1:${ctx.hub.port}/ws`);
      expect(body.error.message).toContain('Authorization: Bearer');
    });
  }

  it('keeps serving the dashboard page for a plain GET to /', async () => {
    const response = await fetch(`${ctx.hub.http}/`);
    expect(response.status).not.toBe(426);
    expect(response.headers.get('content-type')).toContain('text/html');
  });
});
