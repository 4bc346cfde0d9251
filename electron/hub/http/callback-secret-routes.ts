/** The callback signing secret for the person (admin): see it, and rotate it; connection.json follows the rotation. */
import type { CallbackSecretResponse } from '../../../shared/index.js';
import type { SecretInfo } from '../relay/callback-secret.js';
import { callbackSecretPath } from '../relay/callback-secret.js';
import { readConnectionFile, writeConnectionFile } from '../../common/connection-file.js';
import type { HubServices } from '../services.js';
import { requireIdentity, route, type Route } from './http-router.js';

function secretBody(info: SecretInfo, dataDir: string): CallbackSecretResponse {
  return {
    status: 'ok',
    secret: info.secret,
    created_at: new Date(info.created_at).toISOString(),
    previous_valid_until: info.previous_until === null ? null : new Date(info.previous_until).toISOString(),
    file: callbackSecretPath(dataDir),
  };
}

export function callbackSecretRoutes(s: Pick<HubServices, 'callbackSecret' | 'config' | 'events' | 'clock'>): Route[] {
  const { dataDir } = s.config;
  return [
    route('callbackSecret', {
      handle() {
        return { body: secretBody(s.callbackSecret.info(), dataDir) };
      },
    }),
    route('rotateCallbackSecret', {
      handle(ctx) {
        const info = s.callbackSecret.rotate();
        // Agents that read the secret from connection.json find the new one there.
        const connection = readConnectionFile(dataDir);
        if (connection !== undefined) writeConnectionFile(dataDir, { ...connection, callback_secret: info.secret });
        // The secret itself is never in the audit trail.
        s.events.record('callback_secret_rotated', s.clock.now(), { actor: requireIdentity(ctx).agent });
        return { body: secretBody(info, dataDir) };
      },
    }),
  ];
}
