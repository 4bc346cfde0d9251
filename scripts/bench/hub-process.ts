/** Runs the real hub (`switchboard serve`) in a child process with a temp data folder, for the bench to measure. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The part of `GET /ws/status` the bench reads. */
export interface HubStatus {
  total_connections: number;
  memory: { rss: number; heap_used: number };
  commits: { batches: number; writes: number; largestBatch: number };
}

export interface HubProcess {
  readonly pid: number;
  readonly port: number;
  readonly token: string;
  /** ws://127.0.0.1:PORT/ws */
  readonly wsUrl: string;
  status(): Promise<HubStatus>;
  /** GET `path` with the admin token; the JSON body. */
  getJson(path: string): Promise<unknown>;
  /** Resident set size from /proc, without asking the hub (so without allocating in it). */
  procRss(): number;
  /** CPU seconds (user + system) the hub has used so far, from /proc. */
  procCpuSeconds(): number;
  /** SIGTERM, wait for exit, remove the data folder. */
  stop(): Promise<void>;
}

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'electron', 'cli', 'main.js');
const LISTENING = /^Switchboard hub listening on (http:\/\/\S+)$/;
const START_TIMEOUT_MS = 20_000;
/** Hubs started and not yet stopped, so an interrupted bench can still clean up. */
const running = new Set<HubProcess>();
/** USER_HZ: 100 on Linux on every common architecture. */
const CLOCK_TICKS = 100;

/**
 * Starts a hub with `settings` written to DATA_DIR/settings.json. Extra node flags for the child (for
 * example `--cpu-prof`) come from the BENCH_HUB_FLAGS environment variable.
 */
export async function startHubProcess(settings: Record<string, unknown> = {}): Promise<HubProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(settings));
  const flags = (process.env['BENCH_HUB_FLAGS'] ?? '').split(' ').filter((flag) => flag !== '');
  const child = spawn(process.execPath, [...flags, CLI, 'serve', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  try {
    await waitForListening(child, () => stderr);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const info = JSON.parse(readFileSync(join(dataDir, 'connection.json'), 'utf8')) as { http: string; url: string; port: number; token: string; pid: number };
  const headers = { Authorization: `Bearer ${info.token}` };
  const hub: HubProcess = {
    pid: info.pid,
    port: info.port,
    token: info.token,
    wsUrl: info.url,
    async status() {
      const response = await fetch(`${info.http}/ws/status`, { headers });
      if (!response.ok) throw new Error(`GET /ws/status answered ${response.status}`);
      return (await response.json()) as HubStatus;
    },
    async getJson(path) {
      const response = await fetch(`${info.http}${path}`, { headers });
      if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
      return (await response.json()) as unknown;
    },
    procRss() {
      const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${info.pid}/status`, 'utf8'));
      if (match?.[1] === undefined) throw new Error('no VmRSS line in /proc/PID/status');
      return Number(match[1]) * 1024;
    },
    procCpuSeconds() {
      // Fields 14 and 15 of /proc/PID/stat (utime, stime) in clock ticks; the name field may hold spaces.
      const stat = readFileSync(`/proc/${info.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    },
    async stop() {
      running.delete(hub);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  running.add(hub);
  return hub;
}

function waitForListening(child: ChildProcess, stderr: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the hub did not start within ${START_TIMEOUT_MS} ms\n${stderr()}`)), START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the hub exited with code ${String(code)} before listening\n${stderr()}`));
    });
    if (child.stdout === null) throw new Error('no stdout pipe');
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (!LISTENING.test(line)) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve();
    });
  });
}

/** Stops every hub this process started (on Ctrl-C). */
export async function stopAllHubs(): Promise<void> {
  await Promise.all([...running].map((hub) => hub.stop()));
}
