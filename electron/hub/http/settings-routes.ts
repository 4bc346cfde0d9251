/**
 * The settings page's API: the running configuration and settings.json (admin), and saving changes to
 * the file. Changes take effect at the next start (approveNewAgents at once); the answer says which ones need a restart.
 */
import { isDeepStrictEqual } from 'node:util';
import { saveSettingsRequest, SwitchboardError } from '../../../shared/index.js';
import { resolveConfig, type HubConfig, type HubSettings } from '../config.js';
import { ConfigError } from '../../common/config-error.js';
import { federationDefaults } from '../federation/settings.js';
import type { HubServices } from '../services.js';
import { readSettingsFile, settingsFilePath, writeSettingsFile } from '../../common/settings-file.js';
import { requireIdentity, route, type Route } from './http-router.js';
import { FieldsError } from './respond.js';

/** settings.json as it is; a file that is not a JSON object is a conflict the person must fix by hand. */
function readFile(dataDir: string): Record<string, unknown> {
  try {
    return readSettingsFile(dataDir);
  } catch (error) {
    if (error instanceof ConfigError) throw new SwitchboardError('SB_ERR_CONFLICT', `${error.problems.join('; ')}: fix or delete it first`);
    throw error;
  }
}

export function settingsRoutes(s: Pick<HubServices, 'config' | 'events' | 'clock' | 'approvals'>): Route[] {
  const { dataDir, ...effective } = s.config;
  return [
    route('settings', {
      handle() {
        return {
          body: {
            status: 'ok',
            effective: { ...effective, approveNewAgents: s.approvals.enabled },
            file: readFile(dataDir),
            path: settingsFilePath(dataDir),
            federation_defaults: federationDefaults(),
          },
        };
      },
    }),
    route('saveSettings', {
      async handle(ctx) {
        const parsed = saveSettingsRequest.safeParse(await ctx.body());
        if (!parsed.success) {
          throw new SwitchboardError('SB_ERR_VALIDATION', 'send a JSON object of the settings to change, such as {"maxConnections": 200}');
        }
        const changes = parsed.data;
        if ('dataDir' in changes) {
          const message = 'dataDir cannot be changed here: it is where settings.json itself lives; start the hub with --data-dir or SWITCHBOARD_HOME instead';
          throw new FieldsError(message, { dataDir: message });
        }
        // A null removes the setting from the file, so its default applies again.
        const file = readFile(dataDir);
        for (const [key, value] of Object.entries(changes)) {
          if (value === null) delete file[key];
          else file[key] = value;
        }
        let next: HubConfig;
        try {
          next = resolveConfig({ ...file, dataDir } as HubSettings);
        } catch (error) {
          if (error instanceof ConfigError) throw new FieldsError(`invalid settings: ${error.problems.join('; ')}`, { ...error.fields });
          throw error;
        }
        writeSettingsFile(dataDir, file);
        s.events.record('settings_saved', s.clock.now(), { actor: requireIdentity(ctx).agent, detail: { keys: Object.keys(changes) } });
        // Approval of new agents applies at once: switching it on must not wait for a restart.
        s.approvals.setEnabled(next.approveNewAgents);
        const running = { ...s.config, approveNewAgents: next.approveNewAgents } as unknown as Record<string, unknown>;
        const changed = next as unknown as Record<string, unknown>;
        const restartRequired = Object.keys(changes)
          .filter((key) => !isDeepStrictEqual(changed[key], running[key]))
          .sort();
        return { body: { status: 'ok', saved: true, restart_required: restartRequired } };
      },
    }),
  ];
}
