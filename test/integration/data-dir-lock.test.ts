/**
 * One hub per data folder: real `switchboard serve` processes, kill -9, hubs and the desktop host in this
 * process, and the offline backup, all on real data folders.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../electron/hub/startup/data-dir-lock.js';
import { silentLogger } from '../../electron/common/logger.js';
import { createHubHost } from '../../electron/shell/hub-host.js';
import { runCli, serveCli, type CliHub } from '../helpers/cli-process.js';
import { startHub, tempFolders, type TestHub } from '../helpers/hub.js';

const folder = tempFolders('switchboard-lock-');
const running: CliHub[] = [];
const hubs: TestHub[] = [];

afterEach(async () => {
  for (const cli of running.splice(0)) {
    if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGTERM');
    await cli.exited;
  }
  await Promise.all(hubs.splice(0).map((h) => h.stop()));
});

async function serve(dataDir: string): Promise<CliHub> {
  const cli = await serveCli(dataDir);
  running.push(cli);
  return cli;
}

async function healthOf(http: string): Promise<number> {
  return (await fetch(`${http}/api/health`)).status;
}

/** The pid of a process that has ended. */
async function endedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid ?? 0;
}

describe('one hub per data folder', () => {
  it('refuses a second switchboard serve on a held data folder with one sentence naming the running hub, and connection.json keeps pointing at it', async () => {
    const dataDir = folder();
    const first = await serve(dataDir);
    const connection = readFileSync(join(dataDir, 'connection.json'), 'utf8');
    const second = await runCli(['serve', '--port', '0', '--data-dir', dataDir]);
    expect({ second, connection: readFileSync(join(dataDir, 'connection.json'), 'utf8'), first: await healthOf(first.http) }).toEqual({
      second: {
        code: 1,
        signal: null,
        stdout: '',
        stderr: `The data folder ${dataDir} is in use by a Switchboard hub (pid ${first.pid}, ${first.http}): stop that one first, or use another data folder.\n`,
      },
      connection,
      first: 200,
    });
  });

  it('starts at once on the data folder of a hub killed with kill -9', async () => {
    const dataDir = folder();
    const killed = await serve(dataDir);
    killed.child.kill('SIGKILL');
    expect(await killed.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const next = await serve(dataDir);
    expect({ health: await healthOf(next.http), pid: next.pid === next.child.pid, other: next.pid !== killed.pid }).toEqual({
      health: 200,
      pid: true,
      other: true,
    });
  });

  it('refuses a second hub in the same process while the first runs, and starts it once the first has stopped', async () => {
    const dataDir = folder();
    const first = await startHub({ dataDir });
    hubs.push(first);
    const connection = readFileSync(join(dataDir, 'connection.json'), 'utf8');
    const refused = await startHub({ dataDir }).then(
      () => 'started',
      (error: Error) => `${error.name}: ${error.message}`,
    );
    const stillServing = await healthOf(first.http);
    await hubs.pop()?.stop();
    const second = await startHub({ dataDir });
    hubs.push(second);
    expect({ refused, connection: JSON.parse(connection) as unknown, stillServing, second: await healthOf(second.http) }).toEqual({
      refused: `HubStartError: The data folder ${dataDir} is in use by a Switchboard hub (pid ${process.pid}, ${first.http}): stop that one first, or use another data folder.`,
      connection: expect.objectContaining({ http: first.http, pid: process.pid }),
      stillServing: 200,
      second: 200,
    });
  });

  it('still keeps other processes off the folder after refusing a second hub in the same process', async () => {
    const dataDir = folder();
    const first = await startHub({ dataDir });
    hubs.push(first);
    await startHub({ dataDir }).then(
      (second) => second.stop(),
      () => undefined,
    );
    const other = await runCli(['serve', '--port', '0', '--data-dir', dataDir]);
    expect({ code: other.code, stderr: other.stderr }).toEqual({
      code: 1,
      stderr: `The data folder ${dataDir} is in use by a Switchboard hub (pid ${process.pid}, ${first.http}): stop that one first, or use another data folder.\n`,
    });
  });

  it('shows the refusal as the desktop host error state, and leaves connection.json alone', async () => {
    const dataDir = folder();
    const cli = await serve(dataDir);
    const connection = readFileSync(join(dataDir, 'connection.json'), 'utf8');
    const host = createHubHost({ dataDir, hubOptions: { logger: silentLogger } });
    await host.start();
    expect({ status: host.status(), connection: readFileSync(join(dataDir, 'connection.json'), 'utf8'), cli: await healthOf(cli.http) }).toEqual({
      status: {
        state: 'error',
        address: undefined,
        agentsOnline: 0,
        error: `The data folder ${dataDir} is in use by a Switchboard hub (pid ${cli.pid}, ${cli.http}): stop that one first, or use another data folder.`,
        settingsProblem: undefined,
      },
      connection,
      cli: 200,
    });
  });

  it('keeps switchboard backup of a stopped hub off a data folder another process holds, naming that process', async () => {
    const dataDir = folder();
    await (await startHub({ dataDir })).stop();
    const lock = lockDataDir(dataDir, 'restore');
    try {
      const refused = await runCli(['backup', join(folder(), 'copy.db'), '--data-dir', dataDir]);
      expect(refused).toEqual({
        code: 1,
        signal: null,
        stdout: '',
        stderr: `SB_ERR_HUB_RUNNING: The data folder ${dataDir} is in use by a Switchboard restore (pid ${process.pid}): try again once it has finished.\n`,
      });
    } finally {
      lock.release();
    }
  });
});

describe('the data folder at start', () => {
  it('removes the temporary files of killed backups, restores and writes, and keeps those of running processes and everything else', async () => {
    const dataDir = folder();
    const hub = await startHub({ dataDir });
    await hub.stop();
    const dead = await endedPid();
    const names = {
      data: [`.switchboard.db.${dead}-1.tmp`, `connection.json.${dead}.tmp`, `hub.lock.json.${dead}.tmp`, `notes.${dead}.tmp`],
      backups: [`.switchboard-20261122-101500.db.${dead}-3.tmp`, `.switchboard-20261122-101500.db.${dead}-3.tmp-journal`, `.mine.db.${process.pid}-1.tmp`],
    };
    mkdirSync(join(dataDir, 'backups'));
    for (const name of names.data) writeFileSync(join(dataDir, name), 'half a copy');
    for (const name of names.backups) writeFileSync(join(dataDir, 'backups', name), 'half a copy');
    hubs.push(await startHub({ dataDir }));
    expect({ data: readdirSync(dataDir).filter((n) => n.includes('.tmp')), backups: readdirSync(join(dataDir, 'backups')) }).toEqual({
      data: [`notes.${dead}.tmp`],
      backups: [`.mine.db.${process.pid}-1.tmp`],
    });
  });

  it('starts on a data folder whose lock file something wrote into, as the lock file holds nothing of value', async () => {
    const dataDir = folder();
    await (await startHub({ dataDir })).stop();
    writeFileSync(join(dataDir, 'hub.lock'), 'not what Switchboard left here, and longer than an SQLite header of one hundred bytes');
    const hub = await startHub({ dataDir });
    hubs.push(hub);
    expect({ health: await healthOf(hub.http), lock: statSync(join(dataDir, 'hub.lock')).size }).toEqual({ health: 200, lock: 0 });
  });

  it('creates the database, its -wal and -shm, the lock and its owner file readable by the user only', async () => {
    const dataDir = folder();
    hubs.push(await startHub({ dataDir }));
    expect(modes(dataDir, PRIVATE_FILES)).toEqual(allPrivate(PRIVATE_FILES));
  });

  it('tightens a database an older Switchboard left readable by others, with its -wal and -shm', async () => {
    const dataDir = folder();
    await (await startHub({ dataDir })).stop();
    chmodSync(join(dataDir, 'switchboard.db'), 0o644);
    hubs.push(await startHub({ dataDir }));
    expect(modes(dataDir, PRIVATE_FILES)).toEqual(allPrivate(PRIVATE_FILES));
  });
});

const PRIVATE_FILES = ['switchboard.db', 'switchboard.db-wal', 'switchboard.db-shm', 'hub.lock', 'hub.lock.json'];

const modes = (dataDir: string, names: string[]): Record<string, string> =>
  Object.fromEntries(names.map((name) => [name, (statSync(join(dataDir, name)).mode & 0o777).toString(8)]));

const allPrivate = (names: string[]): Record<string, string> => Object.fromEntries(names.map((name) => [name, '600']));
