// The tray for every hub state: icon, tooltip, status line and which menu items are on offer.
import { describe, expect, it } from 'vitest';
import type { HostStatus } from '../../electron/shell/hub-host.js';
import { trayModel, type TrayMenuItem } from '../../electron/shell/tray-menu.js';

const base: HostStatus = { state: 'stopped', address: undefined, agentsOnline: 0, error: undefined, settingsProblem: undefined };

/** The menu as a person reads it: labels, with (off) for disabled items and [x] for checked ones. */
function menu(items: TrayMenuItem[]): string[] {
  return items.map((item) => {
    if (item.kind === 'separator') return '---';
    if (item.kind === 'label') return `"${item.label}"`;
    return `${item.checked === true ? '[x] ' : item.checked === false ? '[ ] ' : ''}${item.label}${item.enabled ? '' : ' (off)'}`;
  });
}

describe('the tray menu', () => {
  it('shows the address and agents online while running, and offers Stop and Export backup', () => {
    const model = trayModel({ ...base, state: 'running', address: 'http://127.0.0.1:8765', agentsOnline: 3 }, false);
    expect({ icon: model.icon, tooltip: model.tooltip, menu: menu(model.items) }).toEqual({
      icon: 'running',
      tooltip: 'Switchboard — Running at 127.0.0.1:8765 · 3 agents online',
      menu: [
        '"Running at 127.0.0.1:8765 · 3 agents online"',
        '---',
        'Open Switchboard',
        'Stop hub',
        '---',
        'Export backup…',
        'Restore backup…',
        'Open data folder',
        'Open logs folder',
        'Run self-test',
        '---',
        '[ ] Launch at login',
        'Install command-line tool',
        '---',
        'Quit Switchboard',
      ],
    });
  });

  it('offers to remove the command-line tool once it is installed', () => {
    expect(menu(trayModel(base, false, true).items)).toEqual(expect.arrayContaining(['Remove command-line tool']));
    expect(menu(trayModel(base, false, true).items)).not.toContain('Install command-line tool');
  });

  it('says "1 agent" for one agent', () => {
    expect(trayModel({ ...base, state: 'running', address: 'http://127.0.0.1:9000', agentsOnline: 1 }, false).tooltip).toBe(
      'Switchboard — Running at 127.0.0.1:9000 · 1 agent online',
    );
  });

  it('says a self-test is running instead of offering another', () => {
    const running = { ...base, state: 'running' as const, address: 'http://127.0.0.1:8765', selftestRunning: true };
    expect(menu(trayModel(running, false).items)).toEqual(expect.arrayContaining(['Self-test running… (off)']));
    expect(menu(trayModel(running, false).items)).not.toContain('Run self-test');
  });

  it('offers Start and no backup or self-test while stopped, with the stopped icon', () => {
    const model = trayModel(base, true);
    expect(model.icon).toBe('stopped');
    expect(menu(model.items)).toEqual(
      expect.arrayContaining(['"Hub stopped"', 'Start hub', 'Export backup… (off)', 'Run self-test (off)', '[x] Launch at login']),
    );
  });

  it('shows why the hub is not running, with the error icon, and still offers Start', () => {
    const model = trayModel({ ...base, state: 'error', error: 'Port 8765 on 127.0.0.1 is already in use.' }, false);
    expect(model.icon).toBe('error');
    expect(menu(model.items)).toEqual(
      expect.arrayContaining(['"Hub not running: Port 8765 on 127.0.0.1 is already in use."', 'Start hub', 'Export backup… (off)']),
    );
  });

  it('disables Start/Stop while the hub is starting or stopping, and Quit while it stops', () => {
    expect(menu(trayModel({ ...base, state: 'starting' }, false).items)).toEqual(
      expect.arrayContaining(['"Starting…"', 'Start hub (off)', 'Quit Switchboard']),
    );
    expect(menu(trayModel({ ...base, state: 'stopping' }, false).items)).toEqual(
      expect.arrayContaining(['"Stopping…"', 'Stop hub (off)', 'Quit Switchboard (off)']),
    );
  });

  it('tells the person when settings.json was not applied', () => {
    const model = trayModel({ ...base, state: 'running', address: 'http://127.0.0.1:8765', settingsProblem: 'maxConnections: must be at least 1' }, false);
    expect(menu(model.items)[1]).toBe('"Settings not applied: maxConnections: must be at least 1"');
  });

  it('shows a damaged database with the error icon, says the hub is read-only and points at Restore backup…, with no Export backup', () => {
    const running = { ...base, state: 'running' as const, address: 'http://127.0.0.1:8765', agentsOnline: 2 };
    const model = trayModel({ ...running, database: { state: 'damaged', reason: 'SQLite reported the database file damaged' } }, false);
    expect({ icon: model.icon, tooltip: model.tooltip, menu: menu(model.items).slice(0, 8) }).toEqual({
      icon: 'error',
      tooltip: 'Switchboard — Running at 127.0.0.1:8765 · 2 agents online · Database damaged: read-only until you restore a backup (Restore backup… below)',
      menu: [
        '"Running at 127.0.0.1:8765 · 2 agents online"',
        '"Database damaged: read-only until you restore a backup (Restore backup… below)"',
        '---',
        'Open Switchboard',
        'Stop hub',
        '---',
        'Export backup… (off)',
        'Restore backup…',
      ],
    });
  });

  it('shows failing writes with their reason and the error icon, while backups stay on offer', () => {
    const running = { ...base, state: 'running' as const, address: 'http://127.0.0.1:8765' };
    const model = trayModel(
      { ...running, database: { state: 'write-failing', reason: 'writes to the database are failing (database or disk is full)' } },
      false,
    );
    expect({ icon: model.icon, menu: menu(model.items).slice(0, 2), exportOn: menu(model.items).includes('Export backup…') }).toEqual({
      icon: 'error',
      menu: ['"Running at 127.0.0.1:8765 · 0 agents online"', '"Database writes failing: writes to the database are failing (database or disk is full)"'],
      exportOn: true,
    });
  });
});
