/** Test helpers: a real hub on port 0 with a temp data folder, and real WebSocket and HTTP clients for it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, expect } from 'vitest';
import WebSocket from 'ws';
import type { HubSettings } from '../../electron/hub/config.js';
import { createHub, type Hub, type HubOptions } from '../../electron/hub/hub.js';
import { silentLogger } from '../../electron/common/logger.js';
import { CLI } from './cli-process.js';
import { leftOpenByStoppedHubs, resourceScope } from './hub-resources.js';

export interface TestHub {
  hub: Hub;
  port: number;
  /** The local admin token from connection.json. */
  token: string;
  dataDir: string;
  http: string;
  wsUrl: string;
  stop(): Promise<void>;
}

export function tempDir(prefix = 'switchboard-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Makes temporary folders that are removed after the file's last test; call it at the top of a test file. */
export function tempFolders(prefix?: string): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = tempDir(prefix);
    made.push(dir);
    return dir;
  };
}

/** The self-test's scratch hubs run the built `switchboard` (the hub under test runs from source). */
export const SELFTEST_COMMAND = { command: process.execPath, args: [CLI] };

/**
 * Starts a hub on a free port (silent unless `options` gives a logger); `stop()` closes it and removes its
 * folder, unless `settings` named the folder. A hub that leaves a handle, timer or worker open after stop()
 * fails its test file.
 */
export async function startHub(settings: Partial<HubSettings> = {}, options: HubOptions = {}): Promise<TestHub> {
  const dataDir = settings.dataDir ?? tempDir();
  const hub = createHub({ port: 0, ...settings, dataDir }, { logger: silentLogger, selftest: { command: SELFTEST_COMMAND }, ...options });
  const resources = resourceScope(expect.getState().currentTestName ?? 'a hub started outside a test');
  // A start that fails closes what it had begun: nothing may be left open then either.
  const started = await resources
    .run(() => hub.start())
    .catch((error: unknown) => {
      resources.stopped();
      throw error;
    });
  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    await resources.run(() => hub.stop());
    resources.stopped();
    if (settings.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
  };
  return {
    hub,
    port: started.port,
    token: started.connection.token,
    dataDir,
    http: `http://127.0.0.1:${started.port}`,
    wsUrl: `ws://127.0.0.1:${started.port}/ws`,
    stop: () => (stopping ??= stop()),
  };
}

afterAll(async () => {
  const left = await leftOpenByStoppedHubs();
  if (left.length > 0) throw new Error(`hubs left handles, timers or workers open after stop():\n${left.join('\n')}`);
});

export type Frame = Record<string, unknown> & { type: string };

/** A WebSocket client that records every frame and can wait for the next one matching a predicate. */
export class TestClient {
  readonly socket: WebSocket;
  readonly frames: Frame[] = [];
  closed: { code: number; reason: string } | undefined;
  /** Frames before this index were already returned by `next`; it works through frames like a queue. */
  private consumed = 0;
  private waiters: { match: (f: Frame) => boolean; resolve: (f: Frame, index: number) => void; from: number }[] = [];
  private closeWaiters: ((c: { code: number; reason: string }) => void)[] = [];

  constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as Frame;
      this.frames.push(frame);
      const index = this.frames.length - 1;
      this.waiters = this.waiters.filter((w) => {
        if (index >= w.from && w.match(frame)) {
          w.resolve(frame, index);
          return false;
        }
        return true;
      });
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const resolve of this.closeWaiters) resolve(this.closed);
    });
    socket.on('error', () => {});
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /**
   * Resolves with the first matching frame not yet returned by an earlier `next` (or received after
   * `from`, when given), waiting for it if it has not arrived.
   */
  next(match: string | ((f: Frame) => boolean), options: { timeoutMs?: number; from?: number } = {}): Promise<Frame> {
    const predicate = typeof match === 'string' ? (f: Frame) => f.type === match : match;
    const from = options.from ?? this.consumed;
    const found = (index: number): void => {
      if (options.from === undefined) this.consumed = index + 1;
    };
    const at = this.frames.findIndex((f, i) => i >= from && predicate(f));
    if (at >= 0) {
      found(at);
      return Promise.resolve(this.frames[at] as Frame);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for a frame (${String(match)}); got ${JSON.stringify(this.frames.slice(from).slice(-5))}`)),
        options.timeoutMs ?? 5000,
      );
      this.waiters.push({ match: predicate, from, resolve: (f, index) => (clearTimeout(timer), found(index), resolve(f)) });
    });
  }

  /** Sends a request with an id and resolves with the reply that carries `re` = that id. */
  async request(frame: Record<string, unknown>, timeoutMs?: number): Promise<Frame> {
    const id = `r${Math.random().toString(36).slice(2)}`;
    const from = this.frames.length;
    this.send({ ...frame, id });
    return this.next((f) => f['re'] === id, { from, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  }

  waitClosed(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    if (this.closed !== undefined) return Promise.resolve(this.closed);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for the connection to close')), timeoutMs);
      this.closeWaiters.push((c) => (clearTimeout(timer), resolve(c)));
    });
  }

  close(): Promise<void> {
    if (this.closed !== undefined) return Promise.resolve();
    this.socket.close(1000);
    return this.waitClosed().then(() => undefined);
  }
}

/** Opens a raw WebSocket (no auth) and waits until it is open. */
export async function openSocket(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
  const socket = new WebSocket(url, options);
  const client = new TestClient(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });
  return client;
}

/** Connects, sends hello as `agent` and waits for `welcome`. */
export async function connectAgent(hub: TestHub, agent: string, token: string = hub.token): Promise<TestClient> {
  const client = await openSocket(hub.wsUrl);
  const welcome = await client.request({ type: 'hello', token, agent });
  if (welcome.type !== 'welcome') throw new Error(`hello failed: ${JSON.stringify(welcome)}`);
  return client;
}

/** Calls the hub's HTTP API with a token (the admin token by default). */
export async function api(
  hub: TestHub,
  method: string,
  path: string,
  options: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? hub.token : options.token;
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${hub.http}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Mints a token that speaks only for `agent` (not an admin), using the hub's admin token. */
export async function agentToken(hub: TestHub, agent: string): Promise<string> {
  const { status, body } = await api(hub, 'POST', '/api/tokens', { body: { agent } });
  if (status !== 201) throw new Error(`could not create a token for ${agent}: ${JSON.stringify(body)}`);
  return (body['token'] as { token: string }).token;
}

/** A fresh hub for each test, and the clients connected to it, which are closed after the test. */
export interface HubFixture {
  /** This test's hub (started before it, stopped after it). */
  readonly hub: TestHub;
  /** Connects an agent with a token of its own (not the admin token), so members-only rules apply to it. */
  agent(name: string): Promise<TestClient>;
  /** Connects an agent with the hub's admin token. */
  admin(name: string): Promise<TestClient>;
  /** Closes a client opened some other way after the test; returns it. */
  track(client: TestClient): TestClient;
}

/**
 * Registers beforeEach/afterEach in the calling file or describe block: a hub started with `settings`
 * (and `options`, such as a clock) before each test; after it, every client connected through the fixture
 * is closed and the hub stopped.
 */
export function useHub(settings: Partial<HubSettings> = {}, options: HubOptions = {}): HubFixture {
  let current: TestHub | undefined;
  const clients: TestClient[] = [];
  beforeEach(async () => {
    current = await startHub(settings, options);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await current?.stop();
    current = undefined;
  });
  const fixture: HubFixture = {
    get hub(): TestHub {
      if (current === undefined) throw new Error('useHub: the hub runs only inside a test');
      return current;
    },
    track: (client) => (clients.push(client), client),
    agent: async (name) => fixture.track(await connectAgent(fixture.hub, name, await agentToken(fixture.hub, name))),
    admin: async (name) => fixture.track(await connectAgent(fixture.hub, name)),
  };
  return fixture;
}
