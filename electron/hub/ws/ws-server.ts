/** The WebSocket endpoint at /ws (and the seeds' `/` and `/ws/chat`): checks on upgrade, wiring frames to the router, and making a connection that sends malformed frames wait its turn. */
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { agentName, SwitchboardError } from '../../../shared/index.js';
import type { Credential } from '../auth/auth.js';
import type { Identity } from './connection.js';
import type { Guard } from '../http/guard.js';
import { errorBody } from '../http/respond.js';
import type { HubServices } from '../services.js';
import { endpointsOf } from '../peer-process/endpoints.js';

/** Answers a refused upgrade with a plain HTTP error carrying the JSON error body. */
function refuse(socket: Duplex, error: SwitchboardError): void {
  const body = JSON.stringify(errorBody(error));
  socket.end(
    `HTTP/1.1 ${error.status} ${error.code}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** `X-Switchboard-Observer: 1` (or `?observer=1`) on an upgrade with a token: the hello `observer` flag for header-authenticated tools. */
function isObserver(value: string | string[] | undefined): boolean {
  return value === '1' || value === 'true';
}

/** Where a WebSocket upgrade is accepted: `/ws`, and the paths the original systems' clients use. */
export const WS_PATHS: readonly string[] = ['/ws', '/', '/ws/chat'];

/** The remote address of a socket, for rate limits and the audit trail. */
function peerOf(transport: Duplex): string {
  return (transport as Partial<Socket>).remoteAddress ?? 'unknown';
}

export function createWsEndpoint(
  s: Pick<HubServices, 'config' | 'clock' | 'logger' | 'auth' | 'router' | 'connections' | 'connectionLifecycle'>,
  guard: Guard,
) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: s.config.maxFrameBytes, clientTracking: false, perMessageDeflate: false });

  /**
   * `admission`: who the upgrade proved to be, a refusal to deliver on the socket, or undefined until
   * `hello`; `observer`: the upgrade asked to watch as a tool, not to come online as an agent.
   */
  const onOpen = (socket: WebSocket, transport: Duplex, admission: Identity | SwitchboardError | undefined, observer: boolean): void => {
    const conn = s.connections.add(socket, peerOf(transport), admission === undefined);
    conn.batchWritesOn(transport);
    conn.endpoints = endpointsOf(transport);
    let yielding = false;
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      // A connection the hub is closing (revoked token, limit, idle, shutdown) gets nothing more done,
      // even when its client ignores the close frame and keeps sending.
      if (!conn.isOpen) return;
      conn.lastActivity = s.clock.now();
      if (isBinary) s.router.refuse(conn, new SwitchboardError('SB_ERR_BAD_FRAME', 'binary frames are not supported; send JSON text frames'));
      else s.router.dispatch(conn, data.toString('utf8'));
      // A connection sending malformed frames reads no more of them until every other connection had its
      // turn: a flood of bad frames costs its sender time, not the others.
      if (conn.malformedInRow > 0 && !yielding && conn.isOpen) {
        yielding = true;
        socket.pause();
        setImmediate(() => {
          yielding = false;
          socket.resume();
        });
      }
    });
    socket.on('pong', () => {
      conn.lastActivity = s.clock.now();
      conn.unansweredPings = 0;
    });
    socket.on('close', () => s.connectionLifecycle.close(conn));
    // ws closes the socket itself on protocol errors (such as 1009 for a frame over the limit); log only.
    socket.on('error', (error) => s.logger.debug('socket error', { client: conn.id, error: error.message }));
    if (admission instanceof SwitchboardError) {
      conn.fail(admission);
      return;
    }
    if (admission !== undefined) {
      s.connectionLifecycle.admit(conn, { identity: admission, profile: {}, observer, re: undefined });
      return;
    }
    conn.helloTimer = setTimeout(
      () => conn.failWith('SB_ERR_AUTH_TIMEOUT', `send {"type":"hello","token":"…"} within ${s.config.helloTimeoutMs} ms`),
      s.config.helloTimeoutMs,
    );
  };

  /**
   * A refused header token refuses the upgrade. A browser cannot read why an upgrade failed, so a stale
   * session cookie instead opens the socket and closes it at once with the error frame and 4001.
   */
  const identifyUpgrade = (credential: Credential, agent: string | undefined, peer: string): Identity | SwitchboardError => {
    try {
      return s.auth.identify(credential.secret, agent, { source: 'ws upgrade', peer }, credential.via);
    } catch (error) {
      const refused = error instanceof SwitchboardError && (error.code === 'SB_ERR_AUTH' || error.code === 'SB_ERR_RATE_LIMITED');
      if (credential.via === 'cookie' && refused) return error;
      throw error;
    }
  };

  return {
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      socket.on('error', () => socket.destroy());
      let admission: Identity | SwitchboardError | undefined;
      let observer = false;
      try {
        guard.check(req);
        const url = new URL(req.url ?? '/', 'http://hub');
        if (!WS_PATHS.includes(url.pathname)) throw new SwitchboardError('SB_ERR_NOT_FOUND', `no WebSocket endpoint at ${url.pathname}; use /ws`);
        const credential = s.auth.credentialFromHeaders(req.headers);
        if (credential !== undefined) {
          const requested = req.headers['x-agent-name'] ?? url.searchParams.get('agent') ?? undefined;
          const name = typeof requested === 'string' ? agentName.safeParse(requested) : undefined;
          if (name !== undefined && !name.success) throw new SwitchboardError('SB_ERR_VALIDATION', `invalid agent name "${String(requested)}"`);
          admission = identifyUpgrade(credential, name?.data, peerOf(socket));
          observer = isObserver(req.headers['x-switchboard-observer'] ?? url.searchParams.get('observer') ?? undefined);
        }
      } catch (error) {
        refuse(socket, error instanceof SwitchboardError ? error : new SwitchboardError('SB_ERR_INTERNAL'));
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => onOpen(ws, socket, admission, observer));
    },
    /** Closes every connection with 1001 so clients know to reconnect later; resolves once all are gone. */
    async closeAll(): Promise<void> {
      const open = [...s.connections.all()];
      const gone = open.map((conn) => (conn.socket.readyState === conn.socket.CLOSED ? Promise.resolve() : once(conn.socket, 'close')));
      for (const conn of open) conn.failWith('SB_ERR_SHUTTING_DOWN', 'the hub is stopping; reconnect and resume from your last seq');
      await Promise.all(gone);
    },
  };
}
