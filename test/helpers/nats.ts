/** A real `nats-server -js` for federation tests: on a loopback port of its own, with its own store, killable and restartable. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unusedPort } from './ports.js';

export interface NatsServer {
  readonly url: string;
  /** SIGKILL: no goodbye to clients, nothing flushed beyond what JetStream already wrote. */
  kill(): Promise<void>;
  /** Starts it again on the same port and store. */
  start(): Promise<void>;
  /** Stops it and removes its store. */
  stop(): Promise<void>;
}

const READY = 'Server is ready';

export async function startNats(): Promise<NatsServer> {
  const port = await unusedPort();
  const storeDir = mkdtempSync(join(tmpdir(), 'switchboard-nats-'));
  let child: ChildProcess | undefined;

  const start = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const server = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], { stdio: ['ignore', 'ignore', 'pipe'] });
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
    kill,
    start,
    async stop() {
      await kill();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
