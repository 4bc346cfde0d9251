/** What each tray menu item does, against the embedded hub and the desktop platform. */
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { plural, SELFTEST_MESSAGES, selftestSummary, selftestTitle } from '../../shared/index.js';
import { backupsFolder, checkBackupFile, manualBackupName, restoreBackup } from '../hub/index.js';
import type { CliLink } from './cli-link.js';
import type { HubHost } from './hub-host.js';
import type { ShellPlatform } from './platform.js';
import type { TrayAction } from './tray-menu.js';

export interface TrayActionsOptions {
  host: HubHost;
  platform: ShellPlatform;
  now?: () => number;
  /** The `switchboard` command on the PATH, for Install/Remove command-line tool. */
  cliLink?: CliLink;
  /** Messages a self-test from the tray sends (default the hub's default, a couple of seconds' worth). */
  selftestMessages?: number;
}

export interface TrayActions {
  run(action: TrayAction): Promise<void>;
  /** Asks where to save and has the running hub write the backup; undefined when cancelled or not made (the person is told why). */
  exportBackup(): Promise<{ file: string; lastSeq: number } | undefined>;
}

export function createTrayActions(options: TrayActionsOptions): TrayActions {
  const { host, platform } = options;
  const now = options.now ?? Date.now;

  const exportBackup = async (): Promise<{ file: string; lastSeq: number } | undefined> => {
    const hub = host.hub();
    if (hub === undefined) {
      platform.notify('Backup not made', 'Start the hub first: the backup is a copy made by the running hub.');
      return undefined;
    }
    // The save dialog starts where scheduled backups go.
    const start = hub.config.backupFolder ?? backupsFolder(host.dataDir);
    mkdirSync(start, { recursive: true });
    const file = await platform.chooseBackupFile(join(start, manualBackupName(now())));
    if (file === undefined) return undefined;
    try {
      const result = await hub.backup(file);
      platform.notify('Backup saved', `${result.file} — messages up to #${result.lastSeq}.`);
      return { file: result.file, lastSeq: result.lastSeq };
    } catch (error) {
      platform.notify('Backup failed', (error as Error).message);
      return undefined;
    }
  };

  /** Picks a backup, checks it, asks, then swaps it in with the hub stopped and starts the hub again if it ran. */
  const restore = async (): Promise<void> => {
    const file = await platform.chooseBackupToRestore(backupsFolder(host.dataDir));
    if (file === undefined) return;
    let info;
    try {
      info = await checkBackupFile(file);
    } catch (error) {
      platform.notify('Backup not restored', (error as Error).message);
      return;
    }
    const agreed = await platform.confirm(
      `Restore ${basename(file)}?`,
      `It holds ${plural(info.messages, 'message')} and ${plural(info.tasks, 'task')}. The hub stops, the current database is kept in the backups folder, and the backup takes its place.`,
      'Stop the hub and restore',
    );
    if (!agreed) return;
    const wasRunning = host.status().state === 'running';
    await host.stop();
    try {
      const restored = await restoreBackup({ dataDir: host.dataDir, source: file, now: now() });
      const kept = restored.replacedBackup === undefined ? '' : ` The replaced database is kept as ${restored.replacedBackup}.`;
      platform.notify('Backup restored', `${basename(file)}: ${plural(restored.info.messages, 'message')}, ${plural(restored.info.tasks, 'task')}.${kept}`);
    } catch (error) {
      platform.notify('Backup not restored', (error as Error).message);
    }
    if (wasRunning) await host.start();
  };

  const toggleCli = (): void => {
    const link = options.cliLink;
    if (link === undefined) return platform.notify('Command-line tool', 'This build of Switchboard cannot install its command.');
    try {
      if (link.status().installed) {
        const removed = link.remove();
        platform.notify('Command-line tool removed', `${removed.path} is gone.`);
        return;
      }
      const installed = link.install();
      const hint = installed.onPath
        ? 'Open a new terminal and run: switchboard status'
        : `${installed.folder} is not on your PATH yet: add it to your shell's profile, then open a new terminal.`;
      platform.notify('Command-line tool installed', `${installed.path} — ${hint}`);
    } catch (error) {
      platform.notify('Command-line tool not installed', (error as Error).message);
    }
  };

  /** Starts the self-test in the running hub; when it is done a notification tells the result, and a click shows it in the settings. */
  const runSelftest = (): void => {
    const hub = host.hub();
    if (hub === undefined) return platform.notify('Self-test not run', 'Start the hub first: the running hub runs the self-test.');
    const { selftest } = hub.services;
    try {
      selftest.start(options.selftestMessages ?? SELFTEST_MESSAGES.default, null);
    } catch (error) {
      return platform.notify('Self-test not started', (error as Error).message);
    }
    const stopListening = selftest.onFinished((result) => {
      stopListening();
      platform.notify(selftestTitle(result), selftestSummary(result), () => platform.showWindow('settings'));
    });
  };

  /** The tray menu and the window's button start this without waiting for it, so a failure is told here. */
  const openFolder = async (path: string): Promise<void> => {
    try {
      await platform.openFolder(path);
    } catch (error) {
      platform.notify('Folder not opened', (error as Error).message);
    }
  };

  const run = async (action: TrayAction): Promise<void> => {
    switch (action) {
      case 'open-window':
        platform.showWindow();
        return;
      case 'toggle-hub':
        if (host.status().state === 'running') await host.stop();
        else await host.start();
        return;
      case 'export-backup':
        await exportBackup();
        return;
      case 'restore-backup':
        return restore();
      case 'open-data-folder':
        return openFolder(host.dataDir);
      case 'open-logs-folder': {
        const logs = join(host.dataDir, 'logs');
        mkdirSync(logs, { recursive: true });
        return openFolder(logs);
      }
      case 'run-selftest':
        return runSelftest();
      case 'launch-at-login':
        platform.launchAtLogin.set(!platform.launchAtLogin.get());
        return;
      case 'toggle-cli':
        return toggleCli();
      case 'quit':
        // The hub commits what is pending and checkpoints before the app goes.
        await host.stop();
        platform.quit();
        return;
    }
  };
  return { run, exportBackup };
}
