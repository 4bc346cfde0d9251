/**
 * Builds what the integration and browser tests run, only when it is older than its sources: the hub and
 * CLI (so tests that start the hub in a child process run the real `switchboard` command) and the
 * dashboard the hub serves (for the browser tests). A build that is up to date is left alone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** What changes every build: the root files each build reads, beside its source folders. */
const SHARED_INPUTS = ['package.json', 'package-lock.json', 'tsconfig.base.json'];

interface Build {
  what: string;
  /** A file every run of the build writes anew, so its age is the build's. */
  output: string;
  /** Folders and files the build reads. */
  inputs: string[];
  tool: string;
  args: string[];
}

const BUILDS: Build[] = [
  {
    what: 'the hub and CLI',
    output: 'dist/electron/cli/main.js',
    inputs: ['electron', 'sdk', 'shared', 'scripts', 'examples', 'tsconfig.node.json', 'tsconfig.build.json', ...SHARED_INPUTS],
    tool: 'typescript/bin/tsc',
    args: ['-p', 'tsconfig.build.json'],
  },
  {
    what: 'the dashboard',
    output: 'dist/renderer/index.html',
    inputs: ['renderer', 'shared', 'tsconfig.web.json', ...SHARED_INPUTS],
    tool: 'vite/bin/vite.js',
    args: ['build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'],
  },
];

/** The most recently changed file under `paths` (files or folders, relative to the root). */
function newest(paths: string[]): { file: string; time: number } {
  let found = { file: '', time: 0 };
  const visit = (path: string): void => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else if (stat.mtimeMs > found.time) {
      found = { file: relative(root, path), time: stat.mtimeMs };
    }
  };
  for (const path of paths) if (existsSync(join(root, path))) visit(join(root, path));
  return found;
}

/** Why `build` must run, or undefined when its output is newer than every input. */
function staleness(build: Build): string | undefined {
  const output = join(root, build.output);
  if (!existsSync(output)) return `${build.output} is missing`;
  const changed = newest(build.inputs);
  return changed.time > statSync(output).mtimeMs ? `${changed.file} changed since the last build` : undefined;
}

export default function setup(): void {
  // The test runner sets NODE_ENV=test, which would make Vite bundle React's development build.
  const env = { ...process.env, NODE_ENV: 'production' };
  for (const build of BUILDS) {
    const reason = staleness(build);
    if (reason === undefined) continue;
    console.log(`Building ${build.what} into dist/: ${reason}.`);
    execFileSync(process.execPath, [join(root, 'node_modules', build.tool), ...build.args], { cwd: root, stdio: 'inherit', env });
  }
}
