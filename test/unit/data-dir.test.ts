import { join } from 'node:path';
import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, resolveDataDir } from '../../electron/common/data-dir.js';

describe('data folder', () => {
  it('prefers --data-dir, then SWITCHBOARD_HOME, then the app-data folder', () => {
    expect([
      resolveDataDir('/flag', { SWITCHBOARD_HOME: '/env' }),
      resolveDataDir(undefined, { SWITCHBOARD_HOME: '/env' }),
      resolveDataDir(undefined, { XDG_CONFIG_HOME: '/xdg' }),
    ]).toEqual(['/flag', '/env', process.platform === 'linux' ? join('/xdg', 'Switchboard') : defaultDataDir({ XDG_CONFIG_HOME: '/xdg' })]);
  });

  it("matches Electron's userData folder on each platform", () => {
    expect([defaultDataDir({}, 'linux'), defaultDataDir({}, 'darwin'), defaultDataDir({ APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }, 'win32')]).toEqual([
      join(homedir(), '.config', 'Switchboard'),
      join(homedir(), 'Library', 'Application Support', 'Switchboard'),
      join('C:\\Users\\me\\AppData\\Roaming', 'Switchboard'),
    ]);
  });
});
