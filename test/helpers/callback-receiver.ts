/** Test helper: a real HTTP server on port 0 that receives task callbacks, records them and answers as told. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Date.now() when the request's body had arrived. */
  at: number;
}

/** What to answer to the n-th request (0-based): a status, or a promise of one to hold the answer back. */
export type Answer = (index: number, request: ReceivedCallback) => number | Promise<number>;

export interface CallbackReceiver {
  /** http://127.0.0.1:<port> */
  url: string;
  readonly requests: ReceivedCallback[];
  /** Requests whose answer has not been sent yet. */
  readonly waiting: number;
  close(): Promise<void>;
}

export async function startReceiver(answer: Answer = () => 200): Promise<CallbackReceiver> {
  const requests: ReceivedCallback[] = [];
  let waiting = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      requests.push(received);
      waiting++;
      void Promise.resolve(answer(requests.length - 1, received)).then((status) => {
        waiting--;
        res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get waiting() {
      return waiting;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
