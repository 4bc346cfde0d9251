/** `hello`: authenticate a connection with a token and name the agent it speaks for. */
import { closeCodeFor, helloFrame, HUB_VERSION, MAX_BATCH_MESSAGES, PROTOCOL_VERSION, SwitchboardError, type WelcomeFrame } from '../../../shared/index.js';
import type { Connection, Identity } from '../ws/connection.js';
import type { Admission } from '../ws/connection-lifecycle.js';
import { sendError, type HandlerSpec } from '../ws/router.js';
import type { HubServices } from '../services.js';

/** The reply to an admitted connection's hello: who it is, this hub, and its limits (a connection lifecycle hook). */
export function sendWelcome(s: Pick<HubServices, 'config' | 'messages'>, conn: Connection, { identity, re }: Admission): void {
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
      max_batch_messages: MAX_BATCH_MESSAGES,
    },
    last_seq: s.messages.lastSeq(),
  };
  if (re !== undefined) welcome.re = re;
  conn.sendFrame(welcome);
}

export function helloHandler(s: Pick<HubServices, 'auth' | 'connectionLifecycle'>): HandlerSpec<typeof helloFrame> {
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
      s.connectionLifecycle.admit(ctx.conn, { identity, profile, observer: frame.observer === true, re: ctx.re });
    },
  };
}
