/** Loopback ports for processes that must be told their port before they listen. */
import { createServer } from 'node:net';

/**
 * A loopback port nothing listens on: one the system handed to a listener that has closed again. Only for
 * a connection that must be refused, or a port setting to move to; a hub that must come back where its
 * clients expect it starts on port 0 and keeps the port it was given.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('a TCP listener has a port');
  return address.port;
}
