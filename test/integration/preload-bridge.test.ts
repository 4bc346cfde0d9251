/**
 * The built preload script, run the way a sandboxed Electron preload runs: a CommonJS script whose
 * `require` knows only `electron`. Electron itself is the one part replaced (by a recorder), as it
 * cannot be downloaded here; the script under test is the real build output.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { desktopChannel, linkClickChannel, type DesktopBridge } from '../../shared/desktop-bridge.js';

const PRELOAD = fileURLToPath(new URL('../../dist/electron/preload/index.cjs', import.meta.url));
const PAGE = 'http://127.0.0.1:8765/#/overview';

type Listener = (event: unknown) => void;

/** A click as the page's window sees it: on a link with `href`, or on something that is not a link. */
function click(href: string | undefined, options: { trusted?: boolean; button?: number; prevented?: boolean } = {}) {
  const event = {
    isTrusted: options.trusted ?? true,
    defaultPrevented: options.prevented ?? false,
    button: options.button ?? 0,
    target: { closest: (selector: string) => (selector === 'a[href]' && href !== undefined ? { getAttribute: () => href } : null) },
    preventDefault: () => void (event.defaultPrevented = true),
  };
  return event;
}

function loadPreload(answer: (channel: string) => unknown = () => undefined) {
  const exposed: Record<string, unknown> = {};
  const invoked: unknown[][] = [];
  const required: string[] = [];
  const listeners: { type: string; listener: Listener; capture: boolean }[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (name: string, api: unknown) => (exposed[name] = api) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        invoked.push(args);
        return answer(args[0] as string);
      },
    },
  };
  const sandboxedRequire = (name: string): unknown => {
    required.push(name);
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
    return electron;
  };
  const module = { exports: {} };
  const window = {
    URL,
    location: { href: PAGE, origin: new URL(PAGE).origin },
    addEventListener: (type: string, listener: Listener, capture: boolean) => listeners.push({ type, listener, capture }),
  };
  runInNewContext(readFileSync(PRELOAD, 'utf8'), Object.assign(window, { require: sandboxedRequire, module, exports: module.exports }));
  /** Dispatches the event to the preload's listeners for `type`, as the page's window would. */
  const dispatch = (type: string, event: unknown): void => {
    for (const entry of listeners) if (entry.type === type) entry.listener(event);
  };
  return { exposed, invoked, required, listeners, dispatch };
}

describe('the preload bridge', () => {
  it('needs nothing but electron, so it runs in a sandboxed renderer', () => {
    expect(loadPreload().required).toEqual(['electron']);
  });

  it('exposes exactly these functions on window.switchboard, and nothing else of Electron', () => {
    const bridge = loadPreload().exposed['switchboard'] as Record<string, unknown>;
    expect(Object.keys(loadPreload().exposed)).toEqual(['switchboard']);
    expect(Object.entries(bridge).map(([name, value]) => [name, typeof value])).toEqual(
      [
        'signIn',
        'exportBackup',
        'openDataFolder',
        'openLogsFolder',
        'launchAtLogin',
        'setLaunchAtLogin',
        'appVersion',
        'cliTool',
        'installCliTool',
        'removeCliTool',
      ].map((name) => [name, 'function']),
    );
  });

  it('sends one IPC call per method, on the channel main registers for it', async () => {
    const { exposed, invoked } = loadPreload();
    const bridge = exposed['switchboard'] as DesktopBridge;
    await bridge.signIn();
    await bridge.exportBackup();
    await bridge.openDataFolder();
    await bridge.openLogsFolder();
    await bridge.launchAtLogin();
    await bridge.appVersion();
    await bridge.cliTool();
    await bridge.installCliTool();
    await bridge.removeCliTool();
    // Only a real boolean crosses to main, whatever the page passes.
    await bridge.setLaunchAtLogin('yes' as unknown as boolean);
    expect(invoked).toEqual([
      [desktopChannel('signIn')],
      [desktopChannel('exportBackup')],
      [desktopChannel('openDataFolder')],
      [desktopChannel('openLogsFolder')],
      [desktopChannel('launchAtLogin')],
      [desktopChannel('appVersion')],
      [desktopChannel('cliTool')],
      [desktopChannel('installCliTool')],
      [desktopChannel('removeCliTool')],
      [desktopChannel('setLaunchAtLogin'), false],
    ]);
  });

  it('has no way to ask for a token: no method takes or names one, and none is on the channel list', () => {
    const { exposed } = loadPreload();
    const source = readFileSync(PRELOAD, 'utf8');
    expect(Object.keys(exposed['switchboard'] as object).filter((name) => /token|connection|secret|session/i.test(name))).toEqual([]);
    expect([...source.matchAll(/switchboard:[\w-]*/g)].map((m) => m[0]).sort()).toEqual(['switchboard:', linkClickChannel].sort());
  });
});

describe('links the person clicks', () => {
  it('listens for clicks and middle clicks before the page does (capture phase)', () => {
    expect(loadPreload().listeners.map(({ type, capture }) => ({ type, capture }))).toEqual([
      { type: 'click', capture: true },
      { type: 'auxclick', capture: true },
    ]);
  });

  it('hands a real click on a link to another site to main, and keeps the window where it is', () => {
    const { dispatch, invoked } = loadPreload();
    const primary = click('https://docs.example.org/guide?x=1');
    const middle = click('http://example.com/', { button: 1 });
    dispatch('click', primary);
    dispatch('auxclick', middle);
    expect(invoked).toEqual([
      [linkClickChannel, 'https://docs.example.org/guide?x=1'],
      [linkClickChannel, 'http://example.com/'],
    ]);
    expect([primary.defaultPrevented, middle.defaultPrevented]).toEqual([true, true]);
  });

  it('ignores clicks a script made, right clicks, clicks the page already handled, the dashboard’s own links and non-links', () => {
    const { dispatch, invoked } = loadPreload();
    const events = [
      click('https://example.com/', { trusted: false }),
      click('https://example.com/', { button: 2 }),
      click('https://example.com/', { prevented: true }),
      click('#/tasks'),
      click('http://127.0.0.1:8765/#/agents'),
      click(undefined),
    ];
    for (const event of events) dispatch('click', event);
    dispatch('auxclick', click('https://example.com/', { button: 2 }));
    expect(invoked).toEqual([]);
    // Only the one the page itself handled was prevented: the rest keep their normal behaviour.
    expect(events.map((e) => e.defaultPrevented)).toEqual([false, false, true, false, false, false]);
  });

  it('passes a clicked link with another scheme on for main to refuse, rather than letting the window follow it', () => {
    const { dispatch, invoked } = loadPreload();
    const event = click('file:///etc/passwd');
    dispatch('click', event);
    expect({ invoked, prevented: event.defaultPrevented }).toEqual({ invoked: [[linkClickChannel, 'file:///etc/passwd']], prevented: true });
  });
});
