#!/usr/bin/env node
/** `npm start`: opens the desktop app with Electron, or says in one paragraph what to do when Electron's binary was never downloaded. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

const MISSING =
  "Switchboard's desktop app could not start: the Electron binary was not downloaded when the packages were installed " +
  '(no network, a proxy, or ELECTRON_SKIP_BINARY_DOWNLOAD set). ' +
  'To retry, run `node node_modules/electron/install.js` (behind a proxy, with ELECTRON_GET_USE_PROXY=true and HTTPS_PROXY set), then `npm start` again. ' +
  'Meanwhile `npx switchboard serve` runs the same hub and dashboard headless, without Electron.';

/** The path of Electron's executable, or undefined when it is not there; never downloads (unlike `require('electron')`). */
function electronExecutable() {
  let packageDir;
  try {
    packageDir = dirname(createRequire(join(PROJECT_ROOT, 'package.json')).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const executable = override ? join(override, relative || 'electron') : relative && join(packageDir, 'dist', relative);
  return executable && existsSync(executable) ? executable : undefined;
}

const executable = electronExecutable();
if (executable === undefined) {
  process.stderr.write(`${MISSING}\n`);
  process.exit(1);
}
const child = spawn(executable, [PROJECT_ROOT, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128 + 15)));
