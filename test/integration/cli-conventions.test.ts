/** The `switchboard` command follows the conventions: help and version, usage errors with exit code 2, `check`, and listings with --json. */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, serveCli, type CliHub } from '../helpers/cli-process.js';
import { openSocket, tempDir, type TestClient } from '../helpers/hub.js';

const folders: string[] = [];
function folder(): string {
  const dir = tempDir('switchboard-cli-conventions-');
  folders.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

const COMMANDS = [
  ['serve'],
  ['check'],
  ['open'],
  ['status'],
  ['agents'],
  ['tasks'],
  ['token'],
  ['token', 'create'],
  ['token', 'list'],
  ['token', 'revoke'],
  ['secret'],
  ['send'],
  ['tail'],
  ['export'],
  ['export', 'audit'],
  ['backup'],
  ['restore'],
  ['mcp'],
];

describe('switchboard help, version and usage errors', () => {
  it('answers --help and -h on every command and subcommand with its own usage on stdout, and exit code 0', async () => {
    const results = await Promise.all(COMMANDS.flatMap((words) => [runCli([...words, '--help']), runCli([...words, '-h'])]));
    const summary = results.map((r, i) => {
      const words = COMMANDS[Math.floor(i / 2)] ?? [];
      return { command: words.join(' '), code: r.code, ownUsage: r.stdout.startsWith(`Usage: switchboard ${words.join(' ')} `), stderr: r.stderr };
    });
    expect(summary).toEqual(COMMANDS.flatMap((words) => Array(2).fill({ command: words.join(' '), code: 0, ownUsage: true, stderr: '' })));
  });

  it('prints the version alone for -v and --version, and the overview of commands for help', async () => {
    const [short, long, help] = await Promise.all([runCli(['-v']), runCli(['--version']), runCli(['help'])]);
    expect([short, long].map((r) => ({ code: r.code, stdout: r.stdout }))).toEqual([
      { code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) },
      { code: 0, stdout: short.stdout },
    ]);
    expect({ code: help.code, lists: ['serve', 'check', 'agents', 'tasks', 'token', 'backup'].every((c) => help.stdout.includes(`\n  ${c} `)) }).toEqual({
      code: 0,
      lists: true,
    });
  });

  it('exits 2 with a suggestion for a mistyped command or option, and never shows a Node error', async () => {
    const [command, option, missing, sub] = await Promise.all([runCli(['stauts']), runCli(['status', '--jsn']), runCli(['backup']), runCli(['token', 'lst'])]);
    expect([command, option, missing, sub]).toEqual([
      { code: 2, signal: null, stdout: '', stderr: "error: unknown command 'stauts'\n(Did you mean status?)\n(run `switchboard --help` for usage)\n" },
      { code: 2, signal: null, stdout: '', stderr: "error: unknown option '--jsn'\n(Did you mean --json?)\n(run `switchboard status --help` for usage)\n" },
      { code: 2, signal: null, stdout: '', stderr: "error: missing required argument 'file'\n(run `switchboard backup --help` for usage)\n" },
      { code: 2, signal: null, stdout: '', stderr: "error: unknown command 'lst'\n(Did you mean list?)\n(run `switchboard token --help` for usage)\n" },
    ]);
  });
});

describe('switchboard check', () => {
  it('exits 0 and says so when settings.json and the environment are fine', async () => {
    const dataDir = folder();
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ port: 0, retentionDays: 30 }));
    expect(await runCli(['check', '--data-dir', dataDir])).toEqual({
      code: 0,
      signal: null,
      stdout: `No problems found: ${join(dataDir, 'settings.json')} and the environment are ready for switchboard serve.\n`,
      stderr: '',
    });
  });

  it('lists every problem with a token-like value masked, exits 1, and starts no hub', async () => {
    const dataDir = folder();
    const settings = join(dataDir, 'settings.json');
    writeFileSync(settings, JSON.stringify({ port: 'sb_abcdefghijklmnopqrstuvwxyz', maxConnections: 0, colour: 'blue' }));
    const result = await runCli(['check', '--data-dir', dataDir]);
    const json = await runCli(['check', '--json', '--data-dir', dataDir]);
    expect(result.stdout).not.toContain('abcdefghijkl');
    expect({ code: result.code, lines: result.stdout.trimEnd().split('\n') }).toEqual({
      code: 1,
      lines: [
        '3 problems found:',
        expect.stringMatching(new RegExp(`^  - ${settings}: unknown setting "colour"`)),
        `  - ${settings}: port must be a whole number from 0 to 65535 (got "sb_***")`,
        `  - ${settings}: maxConnections must be a whole number from 1 to 1000000 (got 0)`,
      ],
    });
    expect({ code: json.code, body: JSON.parse(json.stdout) as unknown }).toEqual({
      code: 1,
      body: {
        ok: false,
        data_dir: dataDir,
        settings_file: settings,
        problems: expect.arrayContaining([`${settings}: port must be a whole number from 0 to 65535 (got "sb_***")`]),
      },
    });
    expect((await runCli(['status', '--data-dir', dataDir])).stderr).toContain('No running hub found');
  });

  it('reports a settings.json that is not JSON, and a data folder that is a file', async () => {
    const broken = folder();
    writeFileSync(join(broken, 'settings.json'), '{"port": 9000,');
    const notAFolder = join(folder(), 'file');
    writeFileSync(notAFolder, 'x');
    const [unparsable, file] = await Promise.all([runCli(['check', '--data-dir', broken]), runCli(['check', '--data-dir', notAFolder])]);
    expect([unparsable.code, unparsable.stdout.split('\n')[1]]).toEqual([1, expect.stringContaining(`${join(broken, 'settings.json')} is not a JSON object`)]);
    expect([file.code, file.stdout]).toEqual([1, `1 problem found:\n  - ${notAFolder} is not a folder, so the data folder ${notAFolder} cannot be there\n`]);
  });
});

describe('switchboard agents and tasks against a running hub', () => {
  let dataDir: string;
  let hub: CliHub;
  let agent: TestClient;

  beforeAll(async () => {
    dataDir = folder();
    hub = await serveCli(dataDir);
    const token = (await runCli(['token', 'create', 'coder', '--data-dir', dataDir])).stdout.trim();
    agent = await openSocket(hub.wsUrl);
    await agent.request({ type: 'hello', token, agent: 'coder' });
    const created = await fetch(`${hub.http}/api/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hub.token}`, 'content-type': 'application/json', 'x-agent-name': 'planner' },
      body: JSON.stringify({ to: 'nobody', cmd: 'summarise' }),
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await agent.close();
    hub.child.kill('SIGTERM');
    await hub.exited;
  });

  it('agents --json lists the connected agent as online; without --json, a table with a header', async () => {
    const [json, table] = await Promise.all([runCli(['agents', '--json', '--data-dir', dataDir]), runCli(['agents', '--data-dir', dataDir])]);
    const agents = JSON.parse(json.stdout) as { id: string; online: boolean; connections: number }[];
    expect(agents.find((a) => a.id === 'coder')).toEqual(
      expect.objectContaining({ id: 'coder', online: true, connections: 1, queue_depth: 0, tasks_in_flight: 0 }),
    );
    const lines = table.stdout.trimEnd().split('\n');
    expect({ code: table.code, header: lines[0], coder: lines.filter((l) => l.startsWith('coder  ')) }).toEqual({
      code: 0,
      header: 'agent  presence  connections  queued  tasks  last seen',
      coder: [expect.stringMatching(/^coder {2}online {2}1 {2}0 {2}0 {2}\S+$/)],
    });
  });

  it('tasks --json lists the waiting task; --state filters; a bad --limit is refused with exit 1', async () => {
    const [json, none, table, bad] = await Promise.all([
      runCli(['tasks', '--json', '--data-dir', dataDir]),
      runCli(['tasks', '--json', '--state', 'completed', '--data-dir', dataDir]),
      runCli(['tasks', '--data-dir', dataDir]),
      runCli(['tasks', '--limit', 'many', '--data-dir', dataDir]),
    ]);
    expect((JSON.parse(json.stdout) as unknown[]).map((t) => t as { to: string; cmd: string; state: string })).toEqual([
      expect.objectContaining({ from: 'planner', to: 'nobody', cmd: 'summarise', state: 'submitted' }),
    ]);
    expect(JSON.parse(none.stdout)).toEqual([]);
    expect(table.stdout.split('\n')[1]).toMatch(/^\S+ {2}submitted {2}planner {2}nobody {2}summarise {2}- {2}\S+Z$/);
    expect(bad).toEqual({ code: 1, signal: null, stdout: '', stderr: '--limit must be a whole number from 1 to 1000 (got "many")\n' });
  });
});
