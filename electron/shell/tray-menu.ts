/**
 * What the tray shows for a hub state: the icon, the tooltip and the menu, as plain data. The Electron
 * side turns it into a Tray and a Menu; tests check it for every state without an Electron binary.
 */
import type { HostStatus, HubState } from './hub-host.js';

export type TrayAction =
  | 'open-window'
  | 'toggle-hub'
  | 'export-backup'
  | 'restore-backup'
  | 'open-data-folder'
  | 'open-logs-folder'
  | 'run-selftest'
  | 'launch-at-login'
  | 'toggle-cli'
  | 'quit';

export type TrayMenuItem =
  { kind: 'label'; label: string } | { kind: 'separator' } | { kind: 'action'; action: TrayAction; label: string; enabled: boolean; checked?: boolean };

/** The three icons in resources/: tray-running, tray-stopped, tray-error (with @2x and macOS Template variants). */
export type TrayIcon = 'running' | 'stopped' | 'error';

export interface TrayModel {
  icon: TrayIcon;
  tooltip: string;
  items: TrayMenuItem[];
}

const ICONS: Record<HubState, TrayIcon> = { starting: 'stopped', running: 'running', stopping: 'stopped', stopped: 'stopped', error: 'error' };

function statusLine(status: HostStatus): string {
  switch (status.state) {
    case 'running':
      return `Running at ${(status.address ?? '').replace(/^http:\/\//, '')} · ${status.agentsOnline} ${status.agentsOnline === 1 ? 'agent' : 'agents'} online`;
    case 'starting':
      return 'Starting…';
    case 'stopping':
      return 'Stopping…';
    case 'stopped':
      return 'Hub stopped';
    case 'error':
      return `Hub not running: ${status.error ?? 'unknown error'}`;
  }
}

/** What is wrong with the running hub's database, in the words the tray shows. */
function databaseLine(status: HostStatus): string | undefined {
  if (status.state !== 'running' || status.database === undefined) return undefined;
  if (status.database.state === 'damaged') return 'Database damaged: read-only until you restore a backup (Restore backup… below)';
  return `Database writes failing: ${status.database.reason}`;
}

/** `cliInstalled`: whether this app's `switchboard` command is on the PATH (the item installs or removes it). */
export function trayModel(status: HostStatus, launchAtLogin: boolean, cliInstalled = false): TrayModel {
  const line = statusLine(status);
  const problem = databaseLine(status);
  const busy = status.state === 'starting' || status.state === 'stopping';
  const items: TrayMenuItem[] = [{ kind: 'label', label: line }];
  if (problem !== undefined) items.push({ kind: 'label', label: problem });
  if (status.settingsProblem !== undefined) items.push({ kind: 'label', label: `Settings not applied: ${status.settingsProblem}` });
  items.push(
    { kind: 'separator' },
    { kind: 'action', action: 'open-window', label: 'Open Switchboard', enabled: true },
    { kind: 'action', action: 'toggle-hub', label: status.state === 'running' || status.state === 'stopping' ? 'Stop hub' : 'Start hub', enabled: !busy },
    { kind: 'separator' },
    // The backup is made by the running hub (SQLite online backup), so it needs the hub up, and a sound database.
    { kind: 'action', action: 'export-backup', label: 'Export backup…', enabled: status.state === 'running' && status.database?.state !== 'damaged' },
    { kind: 'action', action: 'restore-backup', label: 'Restore backup…', enabled: !busy },
    { kind: 'action', action: 'open-data-folder', label: 'Open data folder', enabled: true },
    { kind: 'action', action: 'open-logs-folder', label: 'Open logs folder', enabled: true },
    // The running hub runs it (a scratch hub of its own, in a temporary folder) and keeps the result.
    status.selftestRunning === true
      ? { kind: 'action', action: 'run-selftest', label: 'Self-test running…', enabled: false }
      : { kind: 'action', action: 'run-selftest', label: 'Run self-test', enabled: status.state === 'running' },
    { kind: 'separator' },
    { kind: 'action', action: 'launch-at-login', label: 'Launch at login', enabled: true, checked: launchAtLogin },
    { kind: 'action', action: 'toggle-cli', label: cliInstalled ? 'Remove command-line tool' : 'Install command-line tool', enabled: true },
    { kind: 'separator' },
    { kind: 'action', action: 'quit', label: 'Quit Switchboard', enabled: status.state !== 'stopping' },
  );
  return {
    icon: problem === undefined ? ICONS[status.state] : 'error',
    tooltip: `Switchboard — ${line}${problem === undefined ? '' : ` · ${problem}`}`,
    items,
  };
}
