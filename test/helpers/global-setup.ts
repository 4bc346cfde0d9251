/**
 * Builds once before the tests: the hub and CLI (so tests that start the hub in a child process run the
 * real `switchboard` command) and the dashboard the hub serves (for the browser tests).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  // The test runner sets NODE_ENV=test, which would make Vite bundle React's development build.
  const env = { ...process.env, NODE_ENV: 'production' };
  const run = (script: string, args: string[]): void => {
    execFileSync(process.execPath, [fileURLToPath(new URL(`../../node_modules/${script}`, import.meta.url)), ...args], { cwd: root, stdio: 'inherit', env });
  };
  run('typescript/bin/tsc', ['-p', 'tsconfig.build.json']);
  run('vite/bin/vite.js', ['build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
}
