/** Runs a Switchboard script under Node 22 or newer: this Node when it is new enough, else the Node 22 the project brings (the npm package `node`). */
// Plain JavaScript with no project imports, so that any Node can run it and say what it needs instead of crashing.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REQUIRED_MAJOR = 22;

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

function majorOf(version) {
  return Number(String(version).replace(/^v/, '').split('.')[0]);
}

/** The sentence printed when no Node 22 can be found. */
export function nodeTooOldMessage(currentVersion) {
  return (
    `Switchboard needs Node.js ${REQUIRED_MAJOR} or newer, and this is Node.js ${String(currentVersion).replace(/^v/, '')}: ` +
    `install Node.js ${REQUIRED_MAJOR}, or run \`npm install\` in Switchboard's folder again so it can bring its own.`
  );
}

/** The Node 22 installed with Switchboard (`{ path, version }`), or undefined when it is absent (it is an optional dependency). */
export function bundledNode(fromDir = PROJECT_ROOT) {
  try {
    const packageJson = createRequire(join(fromDir, 'package.json')).resolve('node/package.json');
    const manifest = JSON.parse(readFileSync(packageJson, 'utf8'));
    const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.node;
    if (typeof bin !== 'string') return undefined;
    const path = join(dirname(packageJson), bin);
    return existsSync(path) ? { path, version: String(manifest.version) } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Which Node runs the script: `{ execPath, reexec }` — reexec when it is another Node than the current one — or `{ error }`.
 * `current` and `bundled` are `{ path, version }`; bundled may be undefined.
 */
export function chooseNode(current, bundled) {
  if (majorOf(current.version) >= REQUIRED_MAJOR) return { execPath: current.path, reexec: false };
  if (bundled !== undefined && majorOf(bundled.version) >= REQUIRED_MAJOR) return { execPath: bundled.path, reexec: true };
  return { error: nodeTooOldMessage(current.version) };
}

/** Runs `script` with `args` under the chosen Node, passing on stdio, signals and the exit code; exits 1 with one sentence when there is none. */
export async function runWithNode22(script, args) {
  const choice = chooseNode({ path: process.execPath, version: process.versions.node }, bundledNode());
  if (choice.error !== undefined) {
    process.stderr.write(`${choice.error}\n`);
    process.exit(1);
  }
  if (!choice.reexec) {
    await import(pathToFileURL(script).href);
    return;
  }
  const child = spawn(choice.execPath, [script, ...args], { stdio: 'inherit' });
  // The child gets terminal signals itself too; forwarding covers signals sent to this process alone (a supervisor's SIGTERM).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', () => {
    process.stderr.write(`${nodeTooOldMessage(process.versions.node)}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal !== null) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    process.exit(code ?? 1);
  });
}
