/**
 * The packaging configuration (electron-builder.yml), read with the YAML parser electron-builder itself
 * uses and checked against its own configuration schema: the Electron fuses the installers ship with.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CONFIG = fileURLToPath(new URL('../../electron-builder.yml', import.meta.url));
// electron-builder's own dependencies, resolved from its package as it resolves them.
const builder = createRequire(createRequire(import.meta.url).resolve('app-builder-lib/package.json'));
const yaml = builder('js-yaml') as { load(text: string): unknown };
const scheme = builder('./scheme.json') as { definitions: { FuseOptionsV1: { properties: Record<string, { type: string }> } } };

interface PackagingConfig {
  asar?: boolean;
  asarUnpack?: string[];
  electronFuses?: Record<string, unknown>;
}

const config = yaml.load(readFileSync(CONFIG, 'utf8')) as PackagingConfig;

describe('the packaged app', () => {
  it('flips the security fuses: no running as Node, no NODE_OPTIONS or --inspect, encrypted cookies, code only from a checked app.asar', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('names only fuses the installed electron-builder knows, each as a boolean', () => {
    const known = scheme.definitions.FuseOptionsV1.properties;
    const unknown = Object.keys(config.electronFuses ?? {}).filter((name) => known[name]?.type !== 'boolean');
    expect(unknown).toEqual([]);
  });

  it('packs the code into app.asar, leaving out only the SQLite native module', () => {
    expect({ asar: config.asar, asarUnpack: config.asarUnpack }).toEqual({ asar: true, asarUnpack: ['node_modules/better-sqlite3/**'] });
  });
});
