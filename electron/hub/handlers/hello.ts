/** `hello`: authenticate a connection with a token and name the agent it speaks for. */
import {
  closeCodeFor,
  helloFrame,
  TEXT_MESSAGE_CAPABILITY,
  HUB_VERSION,
  PROTOCOL_VERSION,
  SwitchboardError,
  type WelcomeFrame,
} from '../../../shared/index.js';
import type { Connection, Identity } from '../ws/connection.js';
import { sendError, type RequestId, type HandlerSpec } from '../ws/router.js';
import type { HubServices } from '../services.js';
import type { AgentProfile } from '../store/agent-store.js';

/** What admitting a connection touches. */
export type AdmissionServices = Pick<HubServices, 'connections' | 'config' | 'presence' | 'textAnswers' | 'logger' | 'messages' | 'offlineQueue'>;

/**
 * Marks the connection authenticated, brings its agent online, sends `welcome`, then its offline queue;
 * when maxConnections agents are already in, closes it with SB_ERR_TOO_MANY_CONNECTIONS instead. An
 * observer (a tool such as `switchboard tail`) gets only the `welcome`: it is not listed, not online and
 * not offered tasks, and the agent's offline queue waits for the agent.
 */
export function admit(s: AdmissionServices, conn: Connection, identity: Identity, profile: AgentProfile, re?: RequestId, observer = false): void {
  clearTimeout(conn.helloTimer);
  if (!s.connections.authenticate(conn, identity)) {
    const error = new SwitchboardError('SB_ERR_TOO_MANY_CONNECTIONS', `the hub allows ${s.config.maxConnections} connections at once; try again later`);
    sendError(conn, re, error);
    conn.close(closeCodeFor(error.code) ?? 1013, `${error.code}: ${error.message}`);
    return;
  }
  conn.observer = observer;
  if (!observer) s.presence.join(conn, identity.agent, profile);
  // An observer answers nothing: only an agent's own connection is offered questions.
  if (!observer && profile.capabilities?.includes(TEXT_MESSAGE_CAPABILITY) === true) s.textAnswers.offer(conn);
  s.logger.debug(observer ? 'observer connected' : 'agent connected', { client: conn.id, agent: identity.agent });
  const welcome: WelcomeFrame = {
    type: 'welcome',
    client_id: conn.id,
    agent: { id: identity.agent, admin: identity.admin },
    hub: { version: HUB_VERSION, protocol: PROTOCOL_VERSION },
    limits: {
      max_connections: s.config.maxConnections,
      max_frame_bytes: s.config.maxFrameBytes,
      heartbeat_interval_ms: s.config.heartbeatIntervalMs,
      idle_timeout_ms: s.config.idleTimeoutMs,
    },
    last_seq: s.messages.lastSeq(),
  };
  if (re !== undefined) welcome.re = re;
  conn.sendFrame(welcome);
  if (!observer) s.offlineQueue.drain(conn, identity.agent);
}

export function helloHandler(s: Pick<HubServices, 'auth'> & AdmissionServices): HandlerSpec<typeof helloFrame> {
  return {
    type: 'hello',
    schema: helloFrame,
    public: true,
    handle(ctx) {
      if (ctx.conn.identity !== undefined) {
        throw new SwitchboardError('SB_ERR_CONFLICT', `this connection is already authenticated as "${ctx.conn.identity.agent}"`);
      }
      const frame = ctx.frame;
      let identity: Identity;
      try {
        identity = s.auth.identify(frame.token, frame.agent, { source: 'ws hello', peer: ctx.conn.peer });
      } catch (error) {
        if (!(error instanceof SwitchboardError)) throw error;
        // The refusal is the reply to this hello, so it carries its `re` like any other; then the connection closes.
        sendError(ctx.conn, ctx.re, error);
        ctx.conn.close(closeCodeFor(error.code) ?? 1008, `${error.code}: ${error.message}`);
        return;
      }
      const profile = { display_name: frame.display_name, kind: frame.kind, capabilities: frame.capabilities };
      admit(s, ctx.conn, identity, profile, ctx.re, frame.observer === true);
    },
  };
}
