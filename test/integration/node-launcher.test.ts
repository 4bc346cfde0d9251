/** The `switchboard` command and `npm start` on the machine a user has: an older system Node, no Electron binary. Real processes. */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { bundledNode, chooseNode, REQUIRED_MAJOR } from '../../bin/node-runtime.js';
import { tempFolders } from '../helpers/hub.js';
import { eventually } from '../helpers/wait.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LAUNCHER = join(ROOT, 'bin', 'switchboard.js');
const DESKTOP = join(ROOT, 'bin', 'desktop.js');
const folder = tempFolders('switchboard-launcher-');

/** A Node older than 22 on this machine (a system Node 20, say), or undefined when there is none. */
function olderNode(): { path: string; version: string } | undefined {
  const listed = (spawnSync('which', ['-a', 'node'], { encoding: 'utf8' }).stdout ?? '').split('\n');
  for (const path of [...listed, '/usr/bin/node', '/usr/local/bin/node']) {
    if (path === '' || !existsSync(path)) continue;
    const version = spawnSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
    if (Number(version.split('.')[0]) < REQUIRED_MAJOR) return { path, version };
  }
  return undefined;
}

const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function run(execPath: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('switchboard on an older Node', () => {
  const old = olderNode();

  it('starts the hub under the Node 22 Switchboard brings when the Node that runs it is older, and stops cleanly on SIGTERM', async () => {
    if (old === undefined) {
      // No older Node on this machine: the launcher's choice, for a system Node 20 beside the bundled Node 22.
      expect(chooseNode({ path: '/usr/bin/node', version: '20.20.2' }, { path: '/app/node_modules/node/bin/node', version: '22.23.3' })).toEqual({
        execPath: '/app/node_modules/node/bin/node',
        reexec: true,
      });
      return;
    }
    expect(bundledNode(ROOT)?.version.split('.')[0]).toBe(String(REQUIRED_MAJOR));
    const child = spawn(old.path, [LAUNCHER, 'serve', '--port', '0', '--data-dir', folder()], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const port = await eventually(() => /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)?.[1], `the hub to listen (stderr: ${stderr})`, 15_000);
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(health.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('says in one sentence which Node it needs, and exits 1, when no Node 22 can be found', async () => {
    if (old === undefined) {
      const choice = chooseNode({ path: '/usr/bin/node', version: '20.20.2' }, undefined);
      expect(choice.error).toMatch(/^Switchboard needs Node\.js 22 or newer, and this is Node\.js 20\.20\.2: [^\n]+\.$/);
      return;
    }
    // The launcher alone, away from the project's node_modules: no bundled Node 22 beside it.
    const alone = folder();
    cpSync(join(ROOT, 'bin'), join(alone, 'bin'), { recursive: true });
    const result = await run(old.path, [join(alone, 'bin', 'switchboard.js'), 'serve', '--port', '0']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `Switchboard needs Node.js 22 or newer, and this is Node.js ${old.version}: install Node.js 22, or run \`npm install\` in Switchboard's folder again so it can bring its own.\n`,
    );
  });
});

describe('the launcher’s choice of Node', () => {
  it('keeps the Node that started it when that Node is 22 or newer, and never falls back to an older bundled one', () => {
    expect(chooseNode({ path: '/opt/node24/bin/node', version: '24.1.0' }, { path: '/b/node', version: '22.23.3' })).toEqual({
      execPath: '/opt/node24/bin/node',
      reexec: false,
    });
    expect(chooseNode({ path: '/usr/bin/node', version: '18.19.0' }, { path: '/b/node', version: '20.1.0' }).error).toMatch(/needs Node\.js 22 or newer/);
  });
});

describe('npm start without the Electron binary', () => {
  /** One paragraph on one line, naming the retry and the headless alternative, and no stack trace. */
  function expectMissingParagraph(stderr: string, reason: string): void {
    const paragraph = stderr.trimEnd().split('\n').at(-1) ?? '';
    expect(paragraph).toContain(`Electron's binary is missing and ${reason}`);
    expect(paragraph).toContain('`node node_modules/electron/install.js`');
    expect(paragraph).toContain('`npx switchboard serve` runs the same hub and dashboard headless');
    expect(stderr).not.toMatch(/^\s+at /m);
  }

  it('explains in one paragraph what failed, how to retry, and that switchboard serve gives the same hub headless', async () => {
    const result = await run(process.execPath, [DESKTOP], { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: folder() });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expectMissingParagraph(result.stderr, 'downloading it is turned off');
  });

  it('tries to download the binary on first start and, when the download fails, says so in the same paragraph instead of a stack trace', async () => {
    // A copy of the project with Electron's package but not its binary, downloading from a loopback port nobody listens on.
    const project = folder();
    writeFileSync(join(project, 'package.json'), '{"type": "module"}');
    cpSync(DESKTOP, join(project, 'bin', 'desktop.js'));
    const electron = join(ROOT, 'node_modules', 'electron');
    for (const file of ['package.json', 'install.js', 'checksums.json']) cpSync(join(electron, file), join(project, 'node_modules', 'electron', file));
    for (const scope of ['@electron', '@electron-internal']) symlinkSync(join(ROOT, 'node_modules', scope), join(project, 'node_modules', scope));
    const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/`, electron_config_cache: folder() };
    delete env['ELECTRON_SKIP_BINARY_DOWNLOAD'];
    delete env['ELECTRON_OVERRIDE_DIST_PATH'];
    const result = await run(process.execPath, [join(project, 'bin', 'desktop.js')], env);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe("Downloading Electron's binary (first start only)…");
    expectMissingParagraph(result.stderr, 'could not be downloaded');
  });
});

/** A loopback port that was free a moment ago: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
