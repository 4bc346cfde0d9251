/**
 * The desktop app's embedded hub, driven through the shell's interface without an Electron binary: a
 * real hub in this process, real sockets, a real settings.json and the real autostart file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../sdk/index.js';
import { readConnectionFile } from '../../electron/common/connection-file.js';
import { notifyAlerts } from '../../electron/shell/alert-notifications.js';
import { notifyApprovals } from '../../electron/shell/approval-notifications.js';
import { shortCommand } from '../../shared/index.js';
import type { HostStatus, HubHost } from '../../electron/shell/hub-host.js';
import { autostartFile, linuxAutostart } from '../../electron/shell/linux-autostart.js';
import { watchSettings } from '../../electron/shell/settings-watcher.js';
import { trayModel } from '../../electron/shell/tray-menu.js';
import { damageLeafPages } from '../helpers/damage.js';
import { openSocket, tempDir, type TestClient } from '../helpers/hub.js';
import { hostAgent, testHost } from '../helpers/desktop.js';
import { unusedPort } from '../helpers/ports.js';
import { readConversation } from '../helpers/sdk.js';
import { eventually } from '../helpers/wait.js';

const hosts: HubHost[] = [];
const agents: Agent[] = [];
const cleanups: (() => void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await Promise.all(agents.splice(0).map((a) => a.close()));
  await Promise.all(hosts.splice(0).map((h) => h.stop()));
});

function host(settings?: Record<string, unknown>): HubHost {
  const created = testHost(settings);
  hosts.push(created);
  return created;
}

async function health(address: string): Promise<number | string> {
  try {
    return (await fetch(`${address}/api/health`)).status;
  } catch (error) {
    return ((error as Error & { cause?: { code?: string } }).cause?.code ?? 'failed') as string;
  }
}

async function agentOn(h: HubHost, name: string): Promise<Agent> {
  const agent = await hostAgent(h, name);
  agents.push(agent);
  return agent;
}

describe('the embedded hub', () => {
  it('starts, writes connection.json with its address, and counts agents online for the tray', async () => {
    const h = host();
    const seen: HostStatus['state'][] = [];
    h.onChange((s) => seen.push(s.state));
    await h.start();
    const { state, address } = h.status();
    expect(state).toBe('running');
    expect(await health(address ?? '')).toBe(200);
    expect(readConnectionFile(h.dataDir)?.http).toBe(address);
    expect(seen).toEqual(['starting', 'running']);
    await agentOn(h, 'coder');
    await agentOn(h, 'reviewer');
    await eventually(() => (h.status().agentsOnline === 2 ? true : undefined), 'two agents online');
    await agents.pop()?.close();
    await eventually(() => (h.status().agentsOnline === 1 ? true : undefined), 'one agent online');
  });

  it('stops cleanly and starts again on the same data, keeping what was sent', async () => {
    const h = host();
    await h.start();
    const coder = await agentOn(h, 'coder');
    const sent = await coder.send('general', 'kept across a stop');
    await coder.close();
    const address = h.status().address ?? '';
    await h.stop();
    expect(h.status()).toMatchObject({ state: 'stopped', address: undefined, agentsOnline: 0 });
    expect(await health(address)).toBe('ECONNREFUSED');
    await h.start();
    const messages = await readConversation(h.status().address ?? '', readConnectionFile(h.dataDir)?.token ?? '', 'general');
    expect(messages.map((m) => [m.seq, m.content])).toEqual([[sent.seq, 'kept across a stop']]);
  });

  it('says so when its port is taken, and starts once it is free', async () => {
    const blocker = host({ port: 0 });
    await blocker.start();
    const taken = Number(new URL(blocker.status().address ?? '').port);
    const h = host({ port: taken });
    await h.start();
    expect(h.status()).toMatchObject({ state: 'error', error: `Port ${taken} on 127.0.0.1 is already in use.` });
    await blocker.stop();
    await h.start();
    expect(h.status()).toMatchObject({ state: 'running', address: `http://127.0.0.1:${taken}`, error: undefined });
  });

  it('does not start on an invalid settings.json and says which value is wrong', async () => {
    const h = host({ port: 0, maxConnections: 0 });
    await h.start();
    expect(h.status().state).toBe('error');
    expect(h.status().error).toContain('maxConnections');
  });
});

describe('settings.json while the app runs', () => {
  it('keeps the last good settings when the file turns invalid, and says why', async () => {
    const h = host();
    await h.start();
    const address = h.status().address;
    writeFileSync(join(h.dataDir, 'settings.json'), JSON.stringify({ port: 0, maxConnections: 'lots' }));
    await h.reloadSettings();
    expect(h.status()).toMatchObject({ state: 'running', address });
    expect(h.status().settingsProblem).toMatch(/maxConnections.*kept the last good settings/);
    writeFileSync(join(h.dataDir, 'settings.json'), JSON.stringify({ port: 0, maxConnections: 50 }));
    await h.reloadSettings();
    expect(h.status()).toMatchObject({ state: 'running', address, settingsProblem: undefined });
  });

  it('restarts the hub on the new port when the port changes', async () => {
    const h = host();
    await h.start();
    const before = h.status().address ?? '';
    const port = await unusedPort();
    writeFileSync(join(h.dataDir, 'settings.json'), JSON.stringify({ port }));
    await h.reloadSettings();
    expect(h.status()).toMatchObject({ state: 'running', address: `http://127.0.0.1:${port}` });
    expect(await health(`http://127.0.0.1:${port}`)).toBe(200);
    expect(await health(before)).toBe('ECONNREFUSED');
    expect(readConnectionFile(h.dataDir)?.port).toBe(port);
  });

  it('notices when the settings page or an editor writes the file', async () => {
    const dataDir = tempDir();
    let changes = 0;
    cleanups.push(watchSettings(dataDir, () => (changes += 1)));
    writeFileSync(join(dataDir, 'other.json'), '{}');
    writeFileSync(join(dataDir, 'settings.json'), '{"port": 0}');
    await eventually(() => (changes > 0 ? true : undefined), 'the settings change to be noticed');
    expect(changes).toBe(1);
  });
});

describe('alerts', () => {
  it('become desktop notifications when raised', async () => {
    const h = host();
    const notes: { title: string; body: string }[] = [];
    cleanups.push(notifyAlerts(h, { notify: (title, body) => notes.push({ title, body }) }));
    // Started after the watcher: it must follow the hub the host starts (and each restart).
    await h.start();
    const coder = await agentOn(h, 'coder');
    for (let i = 0; i < 3; i += 1) {
      await coder.trackInteraction(`try ${i}`, (tracker) => tracker.fail('Timeout'));
    }
    await eventually(() => notes.find((n) => n.body.includes('coder failed 3 interactions in a row')), 'an alert notification');
    expect(notes[0]?.title).toBe('Switchboard warning alert');
  });
});

describe('new agents waiting for approval', () => {
  /** A desktop whose notifications are answered, one after another, as told; what was asked and shown is recorded. */
  function answering(answers: (number | 'clicked' | 'dismissed')[]) {
    const asked: { title: string; body: string; actions: readonly string[] }[] = [];
    const calls: string[] = [];
    const platform = {
      ask: async (title: string, body: string, actions: readonly string[]) => (asked.push({ title, body, actions }), answers.shift() ?? 'dismissed'),
      notify: (title: string, body: string) => void calls.push(`notify ${title}: ${body}`),
      showWindow: () => void calls.push('showWindow'),
    };
    return { platform, asked, calls };
  }

  /** Says hello as `agent` with the admin token from connection.json, as a local agent does. */
  async function hello(h: HubHost, agent: string): Promise<TestClient> {
    const info = readConnectionFile(h.dataDir);
    const client = await openSocket(info?.url ?? '');
    cleanups.push(() => client.socket.terminate());
    client.send({ type: 'hello', id: 'hello', token: info?.token, agent });
    await client.next('approval_pending');
    return client;
  }

  it('become notifications naming the agent and its process; Allow lets it in, Deny closes it, a click opens the window', async () => {
    const h = host({ port: 0, approveNewAgents: true });
    const { platform, asked, calls } = answering([0, 1, 'clicked']);
    cleanups.push(notifyApprovals(h, platform));
    await h.start();
    const command = shortCommand([process.execPath, ...process.execArgv, ...process.argv.slice(1)].join(' '));

    const planner = await hello(h, 'planner');
    expect(await planner.next('welcome')).toMatchObject({ agent: { id: 'planner' } });
    expect(asked).toEqual([
      {
        title: 'Switchboard: a new agent wants to connect',
        body: `planner (${command}, pid ${process.pid}) wants to connect. Allow it?`,
        actions: ['Allow', 'Deny'],
      },
    ]);

    const intruder = await hello(h, 'intruder');
    expect(await intruder.next('error')).toMatchObject({ code: 'SB_ERR_DENIED' });
    expect(
      h
        .hub()
        ?.services.approvals.decisions()
        .find((row) => row.agent === 'intruder'),
    ).toMatchObject({ decision: 'denied', decided_by: 'user' });

    await hello(h, 'reviewer');
    await eventually(() => (calls.includes('showWindow') ? true : undefined), 'the window shown');
    expect(
      h
        .hub()
        ?.services.approvals.pending()
        .map((request) => request.agent),
    ).toEqual(['reviewer']);
  });

  it('applies approveNewAgents edited in settings.json at once, without a restart', async () => {
    const h = host({ port: 0 });
    await h.start();
    const hub = h.hub();
    writeFileSync(join(h.dataDir, 'settings.json'), JSON.stringify({ port: 0, approveNewAgents: true }));
    await h.reloadSettings();
    expect({ sameHub: h.hub() === hub, enabled: h.hub()?.services.approvals.enabled }).toEqual({ sameHub: true, enabled: true });
    await hello(h, 'newcomer');
  });
});

describe('a damaged database', () => {
  it('runs the hub read-only and puts the tray in its error state with Restore backup… on offer', async () => {
    const h = host();
    await h.start();
    const info = readConnectionFile(h.dataDir);
    const post = (i: number): Promise<Response> =>
      fetch(`${info?.http ?? ''}/api/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${info?.token ?? ''}`, 'content-type': 'application/json' },
        body: JSON.stringify({ conversation_id: 'general', content: `${i} ${'long message '.repeat(80)}` }),
      });
    await Promise.all(Array.from({ length: 200 }, (_, i) => post(i)));
    await h.stop();
    damageLeafPages(join(h.dataDir, 'switchboard.db'), 'messages', 2);
    await h.start();
    const model = trayModel(h.status(), false);
    expect({ state: h.status().state, database: h.status().database?.state, icon: model.icon, health: await health(h.status().address ?? '') }).toEqual({
      state: 'running',
      database: 'damaged',
      icon: 'error',
      health: 503,
    });
    expect(model.items).toContainEqual({ kind: 'action', action: 'restore-backup', label: 'Restore backup…', enabled: true });
  });
});

describe('launch at login on Linux', () => {
  it('writes and removes an autostart entry that starts the app hidden in the tray', () => {
    const configHome = tempDir();
    const login = linuxAutostart({ exec: '/opt/Switchboard/switchboard app', configHome });
    expect(login.get()).toBe(false);
    login.set(true);
    expect(login.get()).toBe(true);
    const entry = readFileSync(autostartFile(configHome), 'utf8');
    expect(entry).toContain('[Desktop Entry]');
    expect(entry).toContain('Exec="/opt/Switchboard/switchboard app" --hidden');
    login.set(false);
    expect(login.get()).toBe(false);
  });
});
