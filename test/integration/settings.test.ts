/** The settings page's API: the running configuration and settings.json, and saving validated changes to the file. */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../electron/hub/config.js';
import { defaultHubId } from '../../electron/hub/federation/settings.js';
import { agentToken, api, useHub } from '../helpers/hub.js';
import { errorBody } from '../helpers/raw-http.js';

const ctx = useHub({ maxConnections: 50 });
const file = (): string => join(ctx.hub.dataDir, 'settings.json');

describe('settings over HTTP', () => {
  it('shows the running configuration without the data folder, what settings.json holds, where it is, and what federation defaults to', async () => {
    writeFileSync(file(), JSON.stringify({ maxConnections: 60, retentionDays: 7 }));
    const { dataDir, ...running } = resolveConfig({ port: 0, maxConnections: 50, dataDir: ctx.hub.dataDir });
    expect({ dataDir, answer: await api(ctx.hub, 'GET', '/api/settings') }).toEqual({
      dataDir: ctx.hub.dataDir,
      answer: {
        status: 200,
        body: {
          status: 'ok',
          effective: running,
          file: { maxConnections: 60, retentionDays: 7 },
          path: file(),
          federation_defaults: { hubId: defaultHubId(), stream: 'SWITCHBOARD', replicas: 1 },
        },
      },
    });
  });

  it('merges a change over the file, writes it atomically with mode 0600, and names the settings that need a restart', async () => {
    writeFileSync(file(), JSON.stringify({ retentionDays: 7, idleTimeoutMs: 600_000 }));
    const saved = await api(ctx.hub, 'PUT', '/api/settings', { body: { maxConnections: 200, heartbeatIntervalMs: 30_000, idleTimeoutMs: null } });
    expect({
      saved,
      file: JSON.parse(readFileSync(file(), 'utf8')) as unknown,
      mode: statSync(file()).mode & 0o777,
      shown: (await api(ctx.hub, 'GET', '/api/settings')).body['file'],
    }).toEqual({
      // heartbeatIntervalMs is what the hub runs with already, and dropping idleTimeoutMs brings back its default.
      saved: { status: 200, body: { status: 'ok', saved: true, restart_required: ['maxConnections'] } },
      file: { retentionDays: 7, maxConnections: 200, heartbeatIntervalMs: 30_000 },
      mode: 0o600,
      shown: { retentionDays: 7, maxConnections: 200, heartbeatIntervalMs: 30_000 },
    });
  });

  it('refuses invalid settings with a message per field and leaves the file as it was', async () => {
    const before = JSON.stringify({ retentionDays: 7 });
    writeFileSync(file(), before);
    const refused = await api(ctx.hub, 'PUT', '/api/settings', { body: { maxConnections: -1, port: 'abc', maxConection: 5, allowedHosts: [1] } });
    const unknown = expect.stringMatching(/^unknown setting "maxConection" \(known: /);
    expect({ refused, file: readFileSync(file(), 'utf8') }).toEqual({
      refused: {
        status: 400,
        body: {
          status: 'error',
          error: {
            code: 'SB_ERR_VALIDATION',
            message: expect.stringMatching(
              /^invalid settings: unknown setting "maxConection" .*; port must be a whole number from 0 to 65535 \(got "abc"\); maxConnections must be/,
            ),
            fields: {
              maxConection: unknown,
              port: 'port must be a whole number from 0 to 65535 (got "abc")',
              maxConnections: 'maxConnections must be a whole number from 1 to 1000000 (got -1)',
              allowedHosts: 'allowedHosts must be a list of strings',
            },
          },
        },
      },
      file: before,
    });
  });

  it('checks a change against the rest of the file, naming the field that breaks the rule', async () => {
    writeFileSync(file(), JSON.stringify({ heartbeatIntervalMs: 60_000 }));
    const refused = await api(ctx.hub, 'PUT', '/api/settings', { body: { idleTimeoutMs: 60_000 } });
    const message = 'idleTimeoutMs (60000) must be longer than heartbeatIntervalMs (60000), or live connections would be closed';
    expect(refused.body).toEqual({
      status: 'error',
      error: { code: 'SB_ERR_VALIDATION', message: `invalid settings: ${message}`, fields: { idleTimeoutMs: message } },
    });
  });

  it('does not let dataDir be changed, nor take anything but an object', async () => {
    const message = 'dataDir cannot be changed here: it is where settings.json itself lives; start the hub with --data-dir or SWITCHBOARD_HOME instead';
    expect([
      await api(ctx.hub, 'PUT', '/api/settings', { body: { dataDir: '/tmp/elsewhere' } }),
      (await api(ctx.hub, 'PUT', '/api/settings', { body: '[1]' })).status,
    ]).toEqual([{ status: 400, body: { status: 'error', error: { code: 'SB_ERR_VALIDATION', message, fields: { dataDir: message } } } }, 400]);
  });

  it('is for the admin only', async () => {
    const token = await agentToken(ctx.hub, 'alice');
    const forbidden = errorBody('SB_ERR_FORBIDDEN', 'this endpoint needs the admin token (from connection.json)');
    expect([await api(ctx.hub, 'GET', '/api/settings', { token }), await api(ctx.hub, 'PUT', '/api/settings', { token, body: { maxConnections: 5 } })]).toEqual(
      [
        { status: 403, body: forbidden },
        { status: 403, body: forbidden },
      ],
    );
  });

  it('answers 409 while settings.json is not a JSON object, and does not overwrite it', async () => {
    writeFileSync(file(), '{ not json');
    const conflict = expect.stringMatching(/settings\.json is not a JSON object \(.*\): fix or delete it first$/);
    expect([
      await api(ctx.hub, 'GET', '/api/settings'),
      await api(ctx.hub, 'PUT', '/api/settings', { body: { maxConnections: 5 } }),
      readFileSync(file(), 'utf8'),
    ]).toEqual([{ status: 409, body: errorBody('SB_ERR_CONFLICT', conflict) }, { status: 409, body: errorBody('SB_ERR_CONFLICT', conflict) }, '{ not json']);
  });
});
