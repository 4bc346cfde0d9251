#!/usr/bin/env node
/** `npm start`: opens the desktop app with Electron, fetching Electron's binary on first use, or says in one paragraph what to do when it cannot be had. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

function missingParagraph(reason) {
  return (
    `Switchboard's desktop app could not start: Electron's binary is missing and ${reason}. ` +
    'To retry, run `node node_modules/electron/install.js` (behind a proxy, with ELECTRON_GET_USE_PROXY=true and HTTPS_PROXY set), then `npm start` again. ' +
    'Meanwhile `npx switchboard serve` runs the same hub and dashboard headless, without Electron.'
  );
}

/** Where Electron's package is and where its executable should be, found the way Electron's own launcher finds it. */
function electronPaths() {
  const packageDir = dirname(createRequire(join(PROJECT_ROOT, 'package.json')).resolve('electron/package.json'));
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) return { packageDir, executable: join(override, relative || 'electron'), mayDownload: false };
  return { packageDir, executable: relative && join(packageDir, 'dist', relative), mayDownload: !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD };
}

/** Runs Electron's installer with its output kept back (it ends in a stack trace); resolves to the first line of its error, or undefined. */
function download(packageDir) {
  process.stderr.write("Downloading Electron's binary (first start only)…\n");
  const result = spawnSync(process.execPath, [join(packageDir, 'install.js')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status === 0) return undefined;
  return (result.stderr || String(result.error ?? '')).split('\n').find((line) => line.trim() !== '') ?? `its installer exited with ${result.status}`;
}

function executableOrExit() {
  let paths;
  try {
    paths = electronPaths();
  } catch {
    process.stderr.write(`${missingParagraph('its package is not installed (run `npm install`)')}\n`);
    process.exit(1);
  }
  if (paths.executable && existsSync(paths.executable)) return paths.executable;
  if (!paths.mayDownload) {
    process.stderr.write(`${missingParagraph('downloading it is turned off (ELECTRON_SKIP_BINARY_DOWNLOAD or ELECTRON_OVERRIDE_DIST_PATH is set)')}\n`);
    process.exit(1);
  }
  const failure = download(paths.packageDir);
  const again = electronPaths().executable;
  if (failure === undefined && again && existsSync(again)) return again;
  process.stderr.write(`${missingParagraph(`could not be downloaded (no network or a proxy in the way: ${failure ?? 'nothing was installed'})`)}\n`);
  process.exit(1);
}

const child = spawn(executableOrExit(), [PROJECT_ROOT, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128 + 15)));
