/** `switchboard open` and the login link `switchboard serve` prints: real CLI processes, a real hub, a stand-in browser opener. */
import { chmodSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CLI, runCli, ScriptRun, serveCli, type CliHub } from '../helpers/cli-process.js';
import { tempDir } from '../helpers/hub.js';
import { openLink } from '../helpers/sessions.js';
import { eventually } from '../helpers/wait.js';

const folders: string[] = [];
const folder = (): string => {
  const dir = tempDir('switchboard-open-');
  folders.push(dir);
  return dir;
};
let hub: CliHub | undefined;

afterEach(async () => {
  if (hub !== undefined && hub.child.exitCode === null) {
    hub.child.kill('SIGTERM');
    await hub.exited;
  }
  hub = undefined;
});
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** A folder with an `xdg-open` that writes its arguments, one a line, to a file, instead of starting a browser. */
function fakeOpener(): { bin: string; opened: string } {
  const bin = folder();
  const opened = join(bin, 'opened.txt');
  // Written aside and then moved, so the test never reads half a file.
  writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${opened}.part' && mv '${opened}.part' '${opened}'\n`);
  chmodSync(join(bin, 'xdg-open'), 0o755);
  return { bin, opened };
}

const openWith = (dataDir: string, args: string[], bin: string): ScriptRun =>
  new ScriptRun(process.execPath, [CLI, 'open', '--data-dir', dataDir, ...args], { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}` });

describe('switchboard open', () => {
  it('--print prints a one-time login link and opens nothing', async () => {
    const dataDir = folder();
    hub = await serveCli(dataDir);
    const { bin, opened } = fakeOpener();
    const run = openWith(dataDir, ['--print'], bin);
    const code = await run.end();
    const url = run.stdout.trim();
    const first = await openLink(url);
    const second = await openLink(url);
    expect({ code, stdout: run.stdout, stderr: run.stderr, first: first.status, second: second.status, opened: existsSync(opened) }).toEqual({
      code: 0,
      stdout: expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1:${hub.port}/login\\?code=[\\w-]{43}\\n$`)),
      stderr: 'The link works once, for 10 minutes.\n',
      first: 303,
      second: 401,
      opened: false,
    });
  });

  it.skipIf(process.platform !== 'linux')(
    'hands the browser an owner-only login page in the data folder instead of the link, prints the link, and the page is gone once used',
    async () => {
      const dataDir = folder();
      hub = await serveCli(dataDir);
      const { bin, opened } = fakeOpener();
      const run = openWith(dataDir, [], bin);
      expect(await run.end()).toBe(0);
      const args = (await eventually(() => (existsSync(opened) ? readFileSync(opened, 'utf8') : undefined), 'xdg-open to be called'))
        .split('\n')
        .filter(Boolean);
      const url = run.stdout.trim();
      const code = new URL(url).searchParams.get('code') ?? '';
      const page = fileURLToPath(args[0] ?? '');
      const before = { dir: dirname(page), mode: statSync(page).mode & 0o777, links: readFileSync(page, 'utf8').split(url).length - 1 };
      const works = (await openLink(url)).status;
      await eventually(() => (existsSync(page) ? undefined : true), 'the used login page to be deleted');
      expect({ args: args.length, codeInArgs: args.some((arg) => arg.includes(code)), code: code.length, before, works }).toEqual({
        args: 1,
        codeInArgs: false,
        code: 43,
        before: { dir: dataDir, mode: 0o600, links: 2 },
        works: 303,
      });
    },
  );

  it.skipIf(process.platform !== 'linux')(
    'says when no browser could be opened (no opener, or one that fails), and still prints the link that works',
    async () => {
      const dataDir = folder();
      hub = await serveCli(dataDir);
      const failing = folder();
      writeFileSync(join(failing, 'xdg-open'), '#!/bin/sh\nexit 3\n');
      chmodSync(join(failing, 'xdg-open'), 0o755);
      // PATH holds only an empty folder: there is no xdg-open at all.
      const missing = new ScriptRun(process.execPath, [CLI, 'open', '--data-dir', dataDir], { ...process.env, PATH: folder() });
      const failed = openWith(dataDir, [], failing);
      expect([await missing.end(), await failed.end()]).toEqual([0, 0]);
      expect([missing.stderr, failed.stderr]).toEqual([
        'The link works once, for 10 minutes.\nNo browser could be opened (xdg-open was not found). Open the link above in a browser on this computer.\n',
        'The link works once, for 10 minutes.\nNo browser could be opened (xdg-open exited with code 3). Open the link above in a browser on this computer.\n',
      ]);
      expect((await openLink(missing.stdout.trim())).status).toBe(303);
    },
  );

  it('leaves a browser session that token list shows and token revoke ends', async () => {
    const dataDir = folder();
    hub = await serveCli(dataDir);
    const printed = await runCli(['open', '--print', '--data-dir', dataDir]);
    const opened = await openLink(printed.stdout.trim());
    const cookie = /^switchboard_session=[^;]+/.exec(opened.cookie ?? '')?.[0] ?? '';
    const session = (await runCli(['token', 'list', '--data-dir', dataDir])).stdout.split('\n').filter((l) => l.includes('(browser session)'));
    const id = session[0]?.split('  ')[0] ?? '';
    const revoked = await runCli(['token', 'revoke', id, '--data-dir', dataDir]);
    const after = await fetch(`${hub.http}/api/session`, { headers: { cookie } });
    expect({ session, revoked: revoked.stdout, after: after.status }).toEqual({
      session: [expect.stringMatching(/^tok_[0-9a-f]{12} {2}\(browser session\) {2}active {2}\S+Z {2}never$/)],
      revoked: `Revoked ${id}; its connections were closed.\n`,
      after: 401,
    });
  });

  it('exits 1 with a clear message when no hub runs', async () => {
    const never = folder();
    const stopped = folder();
    hub = await serveCli(stopped);
    const port = hub.port;
    hub.child.kill('SIGTERM');
    await hub.exited;
    expect([await runCli(['open', '--print', '--data-dir', never]), await runCli(['open', '--print', '--data-dir', stopped])]).toEqual([
      { code: 1, signal: null, stdout: '', stderr: `No running hub found: ${join(never, 'connection.json')} is missing. Start one with: switchboard serve\n` },
      {
        code: 1,
        signal: null,
        stdout: '',
        stderr: `Switchboard is not running: nothing answers at http://127.0.0.1:${port}. Start it with: switchboard serve\n`,
      },
    ]);
  });
});

describe('switchboard serve', () => {
  it('prints a login link for the dashboard right after the line with its address', async () => {
    const dataDir = folder();
    const run = new ScriptRun(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dataDir], process.env);
    try {
      await run.until(/Open the dashboard: (\S+)\n/, 'the login link');
      const [listening, login] = run.stdout.split('\n');
      const url = /^Open the dashboard: (\S+)$/.exec(login ?? '')?.[1] ?? '';
      const port = /:(\d+)$/.exec(listening ?? '')?.[1];
      const opened = await openLink(url);
      expect({ listening, url, status: opened.status, location: opened.location }).toEqual({
        listening: `Switchboard hub listening on http://127.0.0.1:${port}`,
        url: expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1:${port}/login\\?code=[\\w-]{43}$`)),
        status: 303,
        location: '/',
      });
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });
});
