/**
 * The built preload script, run the way a sandboxed Electron preload runs: a CommonJS script whose
 * `require` knows only `electron`. Electron itself is the one part replaced (by a recorder), as it
 * cannot be downloaded here; the script under test is the real build output.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { desktopChannel, type DesktopBridge } from '../../shared/desktop-bridge.js';

const PRELOAD = fileURLToPath(new URL('../../dist/electron/preload/index.cjs', import.meta.url));

function loadPreload(): { exposed: Record<string, unknown>; invoked: unknown[][]; required: string[] } {
  const exposed: Record<string, unknown> = {};
  const invoked: unknown[][] = [];
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (name: string, api: unknown) => (exposed[name] = api) },
    ipcRenderer: { invoke: async (...args: unknown[]) => invoked.push(args) },
  };
  const sandboxedRequire = (name: string): unknown => {
    required.push(name);
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
    return electron;
  };
  const module = { exports: {} };
  runInNewContext(readFileSync(PRELOAD, 'utf8'), { require: sandboxedRequire, module, exports: module.exports });
  return { exposed, invoked, required };
}

describe('the preload bridge', () => {
  it('needs nothing but electron, so it runs in a sandboxed renderer', () => {
    expect(loadPreload().required).toEqual(['electron']);
  });

  it('exposes window.switchboard with one IPC channel per method, named as main registers them', async () => {
    const { exposed, invoked } = loadPreload();
    const bridge = exposed['switchboard'] as DesktopBridge;
    await bridge.connection();
    await bridge.exportBackup();
    await bridge.openDataFolder();
    await bridge.openLogsFolder();
    await bridge.launchAtLogin();
    await bridge.appVersion();
    // Only a real boolean crosses to main, whatever the page passes.
    await bridge.setLaunchAtLogin('yes' as unknown as boolean);
    expect(invoked).toEqual([
      [desktopChannel('connection')],
      [desktopChannel('exportBackup')],
      [desktopChannel('openDataFolder')],
      [desktopChannel('openLogsFolder')],
      [desktopChannel('launchAtLogin')],
      [desktopChannel('appVersion')],
      [desktopChannel('setLaunchAtLogin'), false],
    ]);
  });
});
