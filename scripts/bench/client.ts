/** A lean WebSocket client for the bench: authenticates on the upgrade, subscribes, and batches its own writes. */
import { connect as netConnect, type Socket } from 'node:net';
import WebSocket from 'ws';
import type { HubProcess } from './hub-process.js';

/** Byte prefixes the bench matches frames by, without parsing JSON on its own hot path. */
export const ACK = Buffer.from('{"type":"ack","re":');
export const NEW_MESSAGE = Buffer.from('{"type":"new_message",');
export const RE_KEY = Buffer.from('"re":');

export interface BenchClient {
  readonly ws: WebSocket;
  /** The TCP socket under `ws`, so a burst of sends can be corked into one write. */
  readonly tcp: Socket;
  /** Sends the frames in one TCP write. */
  sendBatch(frames: readonly string[]): void;
  /** Subscribes to one conversation and resolves on `subscribed`. */
  subscribe(conversation: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Client frames must be masked; an all-zero mask is valid and lets ws skip the XOR pass, which keeps
 * the bench process (sharing the machine's cores with the hub) cheap.
 */
const zeroMask = (mask: Buffer): void => {
  mask.fill(0);
};

/**
 * Opens a WebSocket to the hub on a TCP socket of our own (so a burst of sends can be corked into one
 * write) and resolves once the hub's `welcome` arrived. `headers` authenticate on the upgrade; `hello`,
 * when given, is sent once the socket is open, for connections that authenticate by frame instead.
 */
export function openSocket(hub: HubProcess, auth: { headers: Record<string, string> } | { hello: string }): Promise<{ ws: WebSocket; tcp: Socket }> {
  return new Promise((resolve, reject) => {
    let tcp: Socket | undefined;
    const ws = new WebSocket(hub.wsUrl, {
      ...('headers' in auth ? { headers: auth.headers } : {}),
      perMessageDeflate: false,
      generateMask: zeroMask,
      // Our own TCP connection (ws passes http.request options: URL port and host) so we hold the socket.
      createConnection: (...args: unknown[]): Socket => {
        const { port, host } = args[0] as { port: string | number; host: string };
        tcp = netConnect(Number(port), host);
        return tcp;
      },
    });
    ws.once('error', reject);
    if ('hello' in auth) ws.once('open', () => ws.send(auth.hello));
    ws.once('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as { type: string };
      if (frame.type !== 'welcome' || tcp === undefined) {
        reject(new Error(`expected welcome, got ${data.toString('utf8').slice(0, 200)}`));
        return;
      }
      ws.off('error', reject);
      resolve({ ws, tcp });
    });
  });
}

/** Opens a connection as agent `name` and resolves once the hub's `welcome` arrived. */
export async function connectClient(hub: HubProcess, name: string): Promise<BenchClient> {
  const { ws, tcp } = await openSocket(hub, { headers: { Authorization: `Bearer ${hub.token}`, 'X-Agent-Name': name } });
  return makeClient(ws, tcp);
}

/** Runs `run` and adds the CPU it used as a share of one core over its `seconds`: the hub's, and this process's (the clients'). */
export async function withCpu<T extends { seconds: number }>(hub: HubProcess, run: () => Promise<T>): Promise<T & { hubCpu: number; clientCpu: number }> {
  const hubBefore = hub.procCpuSeconds();
  const clientBefore = process.cpuUsage();
  const result = await run();
  const client = process.cpuUsage(clientBefore);
  return {
    ...result,
    hubCpu: (hub.procCpuSeconds() - hubBefore) / result.seconds,
    clientCpu: (client.user + client.system) / 1e6 / result.seconds,
  };
}

function makeClient(ws: WebSocket, tcp: Socket): BenchClient {
  return {
    ws,
    tcp,
    sendBatch(frames) {
      tcp.cork();
      for (const frame of frames) ws.send(frame);
      tcp.uncork();
    },
    subscribe(conversation) {
      return new Promise((resolve, reject) => {
        const onMessage = (data: Buffer): void => {
          const frame = JSON.parse(data.toString('utf8')) as { type: string; re?: unknown };
          if (frame.re !== 'sub') return;
          ws.off('message', onMessage);
          if (frame.type === 'subscribed') resolve();
          else reject(new Error(`subscribe failed: ${data.toString('utf8')}`));
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify({ type: 'subscribe', id: 'sub', conversations: [conversation] }));
      });
    },
    close() {
      if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
      return new Promise((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
      });
    },
  };
}

/** Reads the non-negative integer that follows `key` (such as `"seq":`) in a frame, without parsing it all. */
export function intAfter(data: Buffer, key: Buffer, from = 0): number {
  const at = data.indexOf(key, from);
  if (at < 0) return -1;
  let value = 0;
  for (let i = at + key.length; i < data.length; i++) {
    const c = data[i] as number;
    if (c < 48 || c > 57) break;
    value = value * 10 + (c - 48);
  }
  return value;
}

/** Whether a frame starts with `prefix` (frames from the hub put "type" first). */
export function startsWith(data: Buffer, prefix: Buffer): boolean {
  return data.length >= prefix.length && data.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
}
