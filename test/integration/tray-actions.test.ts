/**
 * Each tray menu action against a real hub in this process, through the shell's interface: the desktop
 * side (dialogs, folders, notifications, login items, quitting) is a recorder, since the Electron binary
 * is not available here; what the action does to the hub and the files is real.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBackupFile } from '../../electron/hub/backup/index.js';
import { readConnectionFile } from '../../electron/common/connection-file.js';
import type { HubHost } from '../../electron/shell/hub-host.js';
import type { ShellPlatform } from '../../electron/shell/platform.js';
import { createTrayActions } from '../../electron/shell/tray-actions.js';
import { tempDir } from '../helpers/hub.js';
import { hostAgent, testHost } from '../helpers/desktop.js';
import { readConversation } from '../helpers/sdk.js';
import { eventually } from '../helpers/wait.js';

const hosts: HubHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop()));
});

interface Answers {
  /** The save dialog's answer. */
  saveAs?: (suggested: string) => string | undefined;
  /** The open dialog's answer when restoring. */
  restoreFrom?: string;
  /** The answer to "are you sure". */
  agree?: boolean;
}

/** The desktop as a recorder: what was shown, opened, asked and notified; dialogs answer as told. */
function recorder(answers: Answers | ((suggested: string) => string | undefined) = {}) {
  const { saveAs = (suggested: string) => suggested, restoreFrom, agree = true } = typeof answers === 'function' ? { saveAs: answers } : answers;
  const calls: string[] = [];
  const notes: { title: string; body: string }[] = [];
  /** What clicking each notification does, in the order of `notes`. */
  const clicks: ((() => void) | undefined)[] = [];
  let loginItem = false;
  const platform: ShellPlatform = {
    showWindow: (page) => calls.push(page === undefined ? 'showWindow' : `showWindow ${page}`),
    chooseBackupFile: async (suggested) => {
      calls.push(`chooseBackupFile ${suggested}`);
      return saveAs(suggested);
    },
    chooseBackupToRestore: async (folder) => {
      calls.push(`chooseBackupToRestore ${folder}`);
      return restoreFrom;
    },
    confirm: async (question) => {
      calls.push(`confirm ${question}`);
      return agree;
    },
    openFolder: async (path) => void calls.push(`openFolder ${path}`),
    launchAtLogin: { get: () => loginItem, set: (on) => void (loginItem = on) },
    notify: (title, body, onClick) => {
      notes.push({ title, body });
      clicks.push(onClick);
    },
    ask: async (title) => (calls.push(`ask ${title}`), 'dismissed'),
    quit: () => void calls.push('quit'),
  };
  return { platform, calls, notes, clicks };
}

/** The hub states the tray went through, each change once (agents coming and going also update the status). */
function stateChanges(host: HubHost): string[] {
  const states: string[] = [];
  let last = host.status().state;
  host.onChange(({ state }) => {
    if (state !== last) states.push(state);
    last = state;
  });
  return states;
}

async function runningHost(): Promise<HubHost> {
  const host = testHost();
  hosts.push(host);
  await host.start();
  return host;
}

async function send(host: HubHost, content: string): Promise<number> {
  const agent = await hostAgent(host, 'coder');
  const sent = await agent.send('general', content);
  await agent.close();
  return sent.seq;
}

describe('tray actions', () => {
  it('Open Switchboard shows the window', async () => {
    const host = await runningHost();
    const { platform, calls } = recorder();
    await createTrayActions({ host, platform }).run('open-window');
    expect(calls).toEqual(['showWindow']);
  });

  it('Stop hub stops it and Start hub starts it again', async () => {
    const host = await runningHost();
    const { platform } = recorder();
    const actions = createTrayActions({ host, platform });
    const address = host.status().address ?? '';
    await actions.run('toggle-hub');
    expect(host.status().state).toBe('stopped');
    await expect(fetch(`${address}/api/health`)).rejects.toThrow();
    await actions.run('toggle-hub');
    expect(host.status().state).toBe('running');
    expect((await fetch(`${host.status().address}/api/health`)).status).toBe(200);
  });

  it('Export backup… saves a copy that passes the check and holds what was sent, and says where', async () => {
    const host = await runningHost();
    const seq = await send(host, 'in the backup');
    const target = join(tempDir(), 'exported.db');
    const { platform, calls, notes } = recorder(() => target);
    await createTrayActions({ host, platform, now: () => Date.UTC(2026, 10, 22, 8, 15, 0) }).run('export-backup');
    expect(calls).toEqual([`chooseBackupFile ${join(host.dataDir, 'backups', 'switchboard-20261122-081500-manual.db')}`]);
    expect(await checkBackupFile(target)).toMatchObject({ messages: 1, lastSeq: seq });
    expect(notes).toEqual([{ title: 'Backup saved', body: `${target} — messages up to #${seq}.` }]);
  });

  it('Export backup… does nothing when the person cancels the dialog', async () => {
    const host = await runningHost();
    const { platform, notes } = recorder(() => undefined);
    expect(await createTrayActions({ host, platform }).exportBackup()).toBeUndefined();
    expect(notes).toEqual([]);
  });

  it('Export backup… explains a failure instead of failing silently', async () => {
    const host = await runningHost();
    const { platform, notes } = recorder(() => join(host.dataDir, 'switchboard.db'));
    await createTrayActions({ host, platform }).run('export-backup');
    expect(notes).toHaveLength(1);
    expect(notes[0]?.title).toBe('Backup failed');
    expect(notes[0]?.body.length).toBeGreaterThan(10);
    expect(host.status().state).toBe('running');
  });

  it('Export backup… with the hub stopped asks to start it first', async () => {
    const host = await runningHost();
    await host.stop();
    const { platform, calls, notes } = recorder();
    await createTrayActions({ host, platform }).run('export-backup');
    expect(calls).toEqual([]);
    expect(notes).toEqual([{ title: 'Backup not made', body: 'Start the hub first: the backup is a copy made by the running hub.' }]);
  });

  it('Restore backup… checks the file, asks, restores with the hub stopped and starts it again', async () => {
    const host = await runningHost();
    const keptSeq = await send(host, 'in the backup');
    const backup = join(tempDir(), 'good.db');
    await host.hub()?.backup(backup);
    await send(host, 'sent after the backup');
    const { platform, calls, notes } = recorder({ restoreFrom: backup });
    const states = stateChanges(host);
    await createTrayActions({ host, platform }).run('restore-backup');
    expect(calls).toEqual([`chooseBackupToRestore ${join(host.dataDir, 'backups')}`, 'confirm Restore good.db?']);
    expect(states).toEqual(['stopping', 'stopped', 'starting', 'running']);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.title).toBe('Backup restored');
    expect(notes[0]?.body).toMatch(/^good\.db: 1 message, 0 tasks\. The replaced database is kept as .*before-restore-.*\.db\.$/);
    const messages = await readConversation(host.status().address ?? '', readConnectionFile(host.dataDir)?.token ?? '', 'general');
    expect(messages.map((m) => [m.seq, m.content])).toEqual([[keptSeq, 'in the backup']]);
  });

  it('Restore backup… changes nothing when the person says no', async () => {
    const host = await runningHost();
    await send(host, 'still here');
    const backup = join(tempDir(), 'backup.db');
    await host.hub()?.backup(backup);
    const { platform, notes } = recorder({ restoreFrom: backup, agree: false });
    const address = host.status().address;
    await createTrayActions({ host, platform }).run('restore-backup');
    expect(notes).toEqual([]);
    expect(host.status()).toMatchObject({ state: 'running', address });
  });

  it('Restore backup… refuses a file that is not a backup, before stopping anything', async () => {
    const host = await runningHost();
    const notABackup = join(tempDir(), 'notes.db');
    writeFileSync(notABackup, 'these are my notes, not a database');
    const { platform, calls, notes } = recorder({ restoreFrom: notABackup });
    const states = stateChanges(host);
    await createTrayActions({ host, platform }).run('restore-backup');
    expect(calls).toEqual([`chooseBackupToRestore ${join(host.dataDir, 'backups')}`]);
    expect(states).toEqual([]);
    expect(notes[0]?.title).toBe('Backup not restored');
    expect(notes[0]?.body).toMatch(/not an SQLite database/i);
  });

  it('Run self-test runs it in the hub, shows it running, refuses a second start meanwhile, and tells the result in a notification that opens the settings', async () => {
    const host = await runningHost();
    const { platform, calls, notes, clicks } = recorder();
    const actions = createTrayActions({ host, platform, selftestMessages: 300 });
    const runningStates: (boolean | undefined)[] = [];
    host.onChange((status) => runningStates.push(status.selftestRunning));
    await actions.run('run-selftest');
    const whileRunning = host.status().selftestRunning;
    await actions.run('run-selftest');
    expect(notes).toEqual([{ title: 'Self-test not started', body: expect.stringContaining('a self-test is already running') }]);
    await eventually(() => notes[1], 'the self-test notification', 60_000);
    expect({ whileRunning, after: host.status().selftestRunning, changes: runningStates.filter((running, i) => running !== runningStates[i - 1]) }).toEqual({
      whileRunning: true,
      after: false,
      changes: [true, false],
    });
    expect(notes[1]).toEqual({
      title: 'Self-test passed',
      body: expect.stringMatching(/^0 lost · 0 duplicates · integrity ok · 3 kills · 300 messages in [\d.]+ s$/),
    });
    expect(calls).toEqual([]);
    clicks[1]?.();
    expect(calls).toEqual(['showWindow settings']);
    expect(host.hub()?.services.selftest.state().last).toMatchObject({ ok: true, acked: 300, lost: 0 });
  }, 60_000);

  it('Run self-test with the hub stopped asks to start it first', async () => {
    const host = await runningHost();
    await host.stop();
    const { platform, notes } = recorder();
    await createTrayActions({ host, platform }).run('run-selftest');
    expect(notes).toEqual([{ title: 'Self-test not run', body: 'Start the hub first: the running hub runs the self-test.' }]);
  });

  it('opens the data folder and the logs folder', async () => {
    const host = await runningHost();
    const { platform, calls } = recorder();
    const actions = createTrayActions({ host, platform });
    await actions.run('open-data-folder');
    await actions.run('open-logs-folder');
    expect(calls).toEqual([`openFolder ${host.dataDir}`, `openFolder ${join(host.dataDir, 'logs')}`]);
    expect(existsSync(join(host.dataDir, 'logs'))).toBe(true);
  });

  it('says why when a folder cannot be opened, from the tray or the window', async () => {
    const host = await runningHost();
    const { platform, notes } = recorder();
    platform.openFolder = async (path) => {
      throw new Error(`Could not open ${path}: no application is registered for folders`);
    };
    const actions = createTrayActions({ host, platform });
    await actions.run('open-data-folder');
    await actions.run('open-logs-folder');
    expect(notes).toEqual([
      { title: 'Folder not opened', body: `Could not open ${host.dataDir}: no application is registered for folders` },
      { title: 'Folder not opened', body: `Could not open ${join(host.dataDir, 'logs')}: no application is registered for folders` },
    ]);
  });

  it('Launch at login toggles the login item', async () => {
    const host = await runningHost();
    const { platform } = recorder();
    const actions = createTrayActions({ host, platform });
    await actions.run('launch-at-login');
    expect(platform.launchAtLogin.get()).toBe(true);
    await actions.run('launch-at-login');
    expect(platform.launchAtLogin.get()).toBe(false);
  });

  it('Quit stops the hub cleanly before the app exits, keeping everything acknowledged', async () => {
    const host = await runningHost();
    const seq = await send(host, 'acknowledged before quitting');
    const { platform, calls } = recorder();
    const states = stateChanges(host);
    await createTrayActions({ host, platform }).run('quit');
    expect(states).toEqual(['stopping', 'stopped']);
    expect(calls).toEqual(['quit']);
    // The database was closed cleanly: a check of the file itself (no hub) finds the message.
    expect(await checkBackupFile(join(host.dataDir, 'switchboard.db'))).toMatchObject({ lastSeq: seq });
  });
});
