/** npm's prepare step: builds dist/ — except when `npx switchboard` installs this folder into npx's cache, where the build `npm install` made is already there. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = existsSync(fileURLToPath(new URL('../dist/electron/cli/main.js', import.meta.url)));
// Without this, the first `npx switchboard serve` in a clone waits ~20 s for a rebuild that changes nothing.
if (process.env.npm_command === 'exec' && built) process.exit(0);

const npmCli = process.env.npm_execpath;
const result = npmCli
  ? spawnSync(process.execPath, [npmCli, 'run', 'build'], { stdio: 'inherit' })
  : spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(result.status ?? 1);
