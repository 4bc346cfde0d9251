/**
 * The layer rules in .dependency-cruiser.cjs, which `npm run lint` runs: each crossing a contributor might
 * try is refused and each allowed import passes. The probes live in a temporary copy of the folder layout,
 * never in the project's own folders.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempFolders } from '../helpers/hub.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');
const run = promisify(execFile);
const folder = tempFolders('switchboard-layers-');

/** [importing file, imported file, allowed?] */
const CASES: [string, string, boolean][] = [
  ['shared/protocol/probe.ts', 'electron/common/logger.ts', false],
  ['renderer/src/probe.ts', 'electron/hub/index.ts', false],
  ['renderer/src/probe.ts', 'shared/index.ts', true],
  ['sdk/probe.ts', 'electron/hub/index.ts', false],
  ['sdk/probe.ts', 'electron/common/data-dir.ts', true],
  ['electron/common/probe.ts', 'electron/hub/index.ts', false],
  ['electron/mcp/probe.ts', 'electron/hub/index.ts', false],
  ['electron/hub/probe.ts', 'electron/shell/hub-host.ts', false],
  ['electron/hub/probe.ts', 'electron/cli/run.ts', false],
  ['electron/hub/probe.ts', 'electron/mcp/tool-kit.ts', false],
  ['electron/hub/http/probe.ts', 'electron/mcp/index.ts', true],
  ['electron/cli/probe.ts', 'electron/hub/store/token-store.ts', false],
  ['electron/cli/probe.ts', 'electron/hub/index.ts', true],
  ['electron/shell/probe.ts', 'electron/hub/auth/auth.ts', false],
  ['electron/shell/probe.ts', 'electron/cli/run.ts', false],
  ['electron/main/probe.ts', 'electron/hub/ws/ws-server.ts', false],
  ['electron/main/probe.ts', 'electron/shell/hub-host.ts', true],
  ['electron/preload/probe.ts', 'electron/common/logger.ts', false],
  ['scripts/probe.ts', 'electron/hub/store/database.ts', false],
  ['scripts/probe.ts', 'electron/hub/index.ts', true],
  ['examples/probe.ts', 'electron/hub/index.ts', false],
];

const write = (root: string, file: string, text: string): void => {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
};

/** The violations depcruise reports for the given files, laid out in a fresh copy of the folders. */
async function violations(files: Record<string, string>): Promise<{ from: string; to: string; rule: string }[]> {
  const root = folder();
  copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(root, '.dependency-cruiser.cjs'));
  writeFileSync(join(root, 'tsconfig.node.json'), '{ "compilerOptions": { "module": "NodeNext", "moduleResolution": "NodeNext" } }');
  for (const [file, text] of Object.entries(files)) write(root, file, text);
  const result = await run(
    DEPCRUISE,
    ['--config', '.dependency-cruiser.cjs', '--output-type', 'json', ...new Set(Object.keys(files).map((f) => f.split('/')[0] ?? f))].filter(
      (arg) => arg !== 'node_modules',
    ),
    {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
    },
  ).catch((error: { stdout: string }) => error);
  const report = JSON.parse(result.stdout) as { summary: { violations: { from: string; to: string; rule: { name: string } }[] } };
  return report.summary.violations.map((v) => ({ from: v.from, to: v.to, rule: v.rule.name }));
}

const importOf = (from: string, to: string): string => {
  const path = relative(dirname(from), to).replace(/\.ts$/, '.js');
  return `export * from '${path.startsWith('.') ? path : `./${path}`}';\n`;
};

describe('the layer rules lint enforces', () => {
  it('refuse every import that crosses a layer and let the allowed ones through', async () => {
    const files: Record<string, string> = {};
    CASES.forEach(([from, to], i) => {
      const probe = from.replace('probe.ts', `probe-${i}.ts`);
      files[probe] = importOf(probe, to);
      files[to] ??= 'export const value = 1;\n';
    });
    const refused = new Set((await violations(files)).filter((v) => v.rule === 'not-in-allowed').map((v) => `${v.from} → ${v.to}`));
    const verdicts = CASES.map(
      ([from, to], i) => `${from} → ${to}: ${refused.has(`${from.replace('probe.ts', `probe-${i}.ts`)} → ${to}`) ? 'refused' : 'allowed'}`,
    );
    expect(verdicts).toEqual(CASES.map(([from, to, allowed]) => `${from} → ${to}: ${allowed ? 'allowed' : 'refused'}`));
  });

  it('refuse an import cycle, even one made only of type imports', async () => {
    const found = await violations({
      'electron/hub/a.ts': "import type { B } from './b.js';\nexport type A = { b?: B };\n",
      'electron/hub/b.ts': "import type { A } from './a.js';\nexport type B = { a?: A };\n",
    });
    expect(found.map((v) => v.rule)).toContain('no-cycles');
  });

  it('refuse an import of a frame handler from the WebSocket layer, which reaches handlers through the router and connection hooks', async () => {
    const found = await violations({
      'electron/hub/ws/probe.ts': "export * from '../handlers/hello.js';\n",
      'electron/hub/handlers/hello.ts': 'export const value = 1;\n',
    });
    expect(found.map((v) => v.rule)).toEqual(['ws-below-handlers']);
  });

  it('keep the NATS client behind the federation module, which the hub loads only with a dynamic import', async () => {
    const found = await violations({
      'electron/hub/store/probe.ts': "export { connect } from '@nats-io/transport-node';\n",
      'electron/hub/eager.ts': "export { startFederation } from './federation/index.js';\n",
      'electron/hub/lazy.ts':
        "import type { Federation } from './federation/index.js';\nimport { federationSettings } from './federation/settings.js';\n" +
        "export const load = (): Promise<unknown> => import('./federation/index.js');\nexport type F = Federation;\nexport const s = federationSettings;\n",
      'electron/hub/federation/index.ts':
        "export { connect as startFederation } from '@nats-io/transport-node';\nexport type Federation = { close(): void };\n",
      'electron/hub/federation/settings.ts': 'export const federationSettings = 1;\n',
      'node_modules/@nats-io/transport-node/package.json': '{ "name": "@nats-io/transport-node", "type": "module", "exports": "./index.js" }',
      'node_modules/@nats-io/transport-node/index.js': 'export const connect = 1;\n',
    });
    expect(found.map((v) => `${v.rule}: ${v.from} → ${v.to}`).sort()).toEqual([
      'federation-loaded-lazily: electron/hub/eager.ts → electron/hub/federation/index.ts',
      expect.stringMatching(/^nats-behind-federation: electron\/hub\/store\/probe\.ts → .*@nats-io/),
    ]);
  });
});
