/**
 * The SDK as another project gets it: `npm pack`, the tarball installed into a temporary project without the
 * optional (hub-only) dependencies and with the native SQLite module removed, and the README's import line
 * run against a real hub under every Node here and under Node 18.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, tempFolders, type TestHub } from '../helpers/hub.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const folder = tempFolders('switchboard-pack-');

// Two agents of the packed SDK: one stores a message the other receives, then hands it a task and gets the result.
const AGENT_SCRIPT = `import { connect } from 'switchboard/sdk';

const alice = await connect({ agent: 'alice', stateDir: false });
const bob = await connect({ agent: 'bob', stateDir: false, profile: { kind: 'checker' } });
const received = new Promise((resolve) => bob.subscribe(['packed'], (m) => resolve(m.sender + ': ' + m.content), { since: 0 }));
const stored = await alice.send('packed', 'hello from the packed SDK');
bob.handle('double', async (task) => ({ doubled: task.payload * 2 }));
const done = new Promise((resolve) => alice.on('frame', (f) => {
  if (f.type === 'task_updated' && f.event === 'completed') resolve(f.task.result);
}));
await alice.request({ type: 'task_send', task: { to: 'checker', cmd: 'double', payload: 21 } });
console.log(JSON.stringify({ seq: stored.seq, received: await received, result: await done }));
await alice.close();
await bob.close();
`;

/** Every distinct `node` on PATH, with the one running the tests first. */
function nodesOnPath(): string[] {
  const found = new Set([realpathSync(process.execPath)]);
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const candidate = join(dir, process.platform === 'win32' ? 'node.exe' : 'node');
    try {
      accessSync(candidate, constants.X_OK);
      found.add(realpathSync(candidate));
    } catch {
      // not in this folder
    }
  }
  return [...found];
}

describe('the SDK installed from a packed tarball', () => {
  let hub: TestHub;
  let project: string;
  let packedFiles: string[];
  let installedBefore: string[];
  let node18: string;

  beforeAll(async () => {
    hub = await startHub();
    const packs = folder();
    // dist/ is built by the test setup; packing runs no scripts.
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packs], { cwd: root });
    const [info] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
    packedFiles = info.files.map((file) => file.path);
    project = folder();
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'an-agent', private: true, type: 'module' }));
    writeFileSync(join(project, 'agent.mjs'), AGENT_SCRIPT);
    await run('npm', ['install', '--omit=optional', '--no-audit', '--no-fund', '--prefer-offline', join(packs, info.filename)], { cwd: project });
    installedBefore = readdirSync(join(project, 'node_modules')).filter((name) => !name.startsWith('.'));
    // The hub's SQLite module stays a regular dependency (npm would skip an optional one whose engines the
    // installing Node does not meet); the SDK must not need it: the agents below run without it.
    rmSync(join(project, 'node_modules', 'better-sqlite3'), { recursive: true });
    // The oldest Node the SDK supports, from the npm registry (as the project brings its own Node 22).
    const oldNodeHome = folder();
    await run('npm', ['install', '--prefix', oldNodeHome, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefer-offline', 'node@18'], {
      cwd: oldNodeHome,
    });
    node18 = join(oldNodeHome, 'node_modules', '.bin', 'node');
  }, 180_000);

  afterAll(async () => {
    await hub.stop();
  });

  it('holds the compiled SDK with its type declarations', () => {
    expect(packedFiles).toEqual(expect.arrayContaining(['dist/sdk/index.js', 'dist/sdk/index.d.ts', 'dist/shared/client/index.js']));
  });

  it('installs without the MCP SDK or its web servers, and the SDK runs with the native SQLite module taken away', () => {
    // The NATS client comes along (a regular dependency: npm skips an optional one whose engines the installing
    // Node does not meet, and the hub needs it for federation); it is plain JavaScript the SDK never loads.
    expect(installedBefore.sort()).toEqual(['@nats-io', 'better-sqlite3', 'node-addon-api', 'switchboard', 'tweetnacl', 'ws']);
    expect(existsSync(join(project, 'node_modules', 'better-sqlite3'))).toBe(false);
  });

  it('runs the README import line against a real hub under Node 18, the oldest the SDK supports', async () => {
    const { stdout: version } = await run(node18, ['--version']);
    expect(version).toMatch(/^v18\./);
    const { stdout } = await run(node18, ['agent.mjs'], { cwd: project, env: { ...process.env, SWITCHBOARD_HOME: hub.dataDir }, timeout: 60_000 });
    expect(JSON.parse(stdout)).toEqual({ seq: expect.any(Number), received: 'alice: hello from the packed SDK', result: { doubled: 42 } });
  }, 90_000);

  it.each(nodesOnPath())(
    'runs the README import line against a real hub under %s',
    async (node) => {
      const { stdout } = await run(node, ['agent.mjs'], { cwd: project, env: { ...process.env, SWITCHBOARD_HOME: hub.dataDir }, timeout: 60_000 });
      const output = JSON.parse(stdout) as { seq: number; received: string; result: unknown };
      expect(output.received).toBe('alice: hello from the packed SDK');
      expect(output.result).toEqual({ doubled: 42 });
      expect(output.seq).toBeGreaterThan(0);
    },
    90_000,
  );
});
