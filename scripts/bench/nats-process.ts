/**
 * A real `nats-server -js` for the federation tests and simulation: on a loopback port of its own, with its
 * own store, killable and restartable; several form a JetStream cluster.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort } from './free-port.js';

export interface NatsServer {
  readonly url: string;
  /** The running server's process id (for its CPU figures). */
  pid(): number | undefined;
  /** SIGKILL: no goodbye to clients, nothing flushed beyond what JetStream already wrote. */
  kill(): Promise<void>;
  /** Starts it again on the same port and store. */
  start(): Promise<void>;
  /** Stops it and removes its store. */
  stop(): Promise<void>;
}

const READY = 'Server is ready';

/**
 * The nats-server executable: NATS_SERVER, or the first on PATH, or where Debian's package puts it
 * (/usr/sbin, not on a non-root user's PATH).
 */
export function natsServerCommand(): string {
  const given = process.env['NATS_SERVER'];
  if (given !== undefined && given !== '') return given;
  const folders = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  for (const folder of folders) {
    const candidate = join(folder, 'nats-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return 'nats-server';
}

/** A server's place in a cluster: its name, its own route port and every member's. */
interface ClusterMembership {
  name: string;
  routePort: number;
  routePorts: number[];
}

/**
 * @param options.cluster its place in a cluster, if it is part of one
 * @param options.args more nats-server arguments (`--user`, `--pass`, …)
 */
export async function startNats(options: { cluster?: ClusterMembership; args?: string[] } = {}): Promise<NatsServer> {
  const { cluster } = options;
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'switchboard-nats-'));
  let child: ChildProcess | undefined;
  const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir, ...(options.args ?? [])];
  if (cluster !== undefined) {
    const routes = cluster.routePorts.filter((p) => p !== cluster.routePort).map((p) => `nats://127.0.0.1:${p}`);
    args.push(
      '--server_name',
      cluster.name,
      '--cluster_name',
      'switchboard-test',
      '--cluster',
      `nats://127.0.0.1:${cluster.routePort}`,
      '--routes',
      routes.join(','),
    );
  }

  const start = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const server = spawn(natsServerCommand(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
      child = server;
      let log = '';
      const timer = setTimeout(() => reject(new Error(`nats-server did not start: ${log}`)), 10_000);
      server.once(
        'error',
        (error) => (clearTimeout(timer), reject(new Error(`nats-server could not run (install the nats-server package): ${error.message}`))),
      );
      server.stderr?.on('data', (chunk: Buffer) => {
        log += chunk.toString('utf8');
        if (log.includes(READY)) {
          clearTimeout(timer);
          resolve();
        }
      });
      server.once('exit', (code) => (clearTimeout(timer), reject(new Error(`nats-server exited with ${String(code)}: ${log}`))));
    });

  const kill = async (): Promise<void> => {
    const server = child;
    child = undefined;
    if (server === undefined || server.exitCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
  };

  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    pid: () => child?.pid,
    kill,
    start,
    async stop() {
      await kill();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

/** A JetStream cluster of `size` servers on loopback; the servers start together, as a cluster must. */
export async function startNatsCluster(size: number): Promise<NatsServer[]> {
  const routePorts: number[] = [];
  for (let i = 0; i < size; i++) routePorts.push(await freePort());
  return Promise.all(routePorts.map((routePort, i) => startNats({ cluster: { name: `n${i + 1}`, routePort, routePorts } })));
}
