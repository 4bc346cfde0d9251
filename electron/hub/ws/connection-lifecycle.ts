/**
 * A connection's lifecycle in one place: admitted (after `hello`, or at once when the upgrade carried a
 * token) and closed. Whatever a feature keeps per connection is set up by an `onAdmit` hook and let go by
 * an `onClose` hook, registered in hub.ts; a new per-connection feature adds its hooks there and touches
 * nothing else. Each list runs in the order it was registered.
 *
 * Admission, in this order:
 *   0. the hello timer stops, and the gate (approval of new agents) may keep the connection waiting or
 *      refuse it: then nothing below happens until the gate admits it again;
 *   1. the registry counts the connection as authenticated (or, when
 *      maxConnections are in, refuses it with SB_ERR_TOO_MANY_CONNECTIONS: no hook runs);
 *   2. presence: the agent comes online (`agent_online`, the relay offers it tasks);
 *   3. text answers: a connection that declared the capability is offered questions;
 *   4. `welcome`, the reply to the hello;
 *   5. the offline queue drains, after the welcome, so the client knows who it is first.
 * An observer (a tool such as `switchboard tail`) gets only the `welcome`: each hook leaves it out.
 *
 * Close, in this order:
 *   1. the hello timer stops, and the registry forgets the connection;
 *   2. subscriptions end, so nothing more is fanned out to it;
 *   3. streams it was sending are stored as incomplete, so what it said is kept;
 *   4. text answers: questions it was answering fail, questions it asked are withdrawn;
 *   5. presence: the agent goes offline with its last connection (`agent_offline`, its unaccepted task
 *      offers go back to the queue) — after its streams and answers ended, not before;
 *   6. task and alert watchers forget it.
 */
import { closeCodeFor, SwitchboardError } from '../../../shared/index.js';
import type { HubConfig } from '../config.js';
import type { Logger } from '../../common/logger.js';
import type { AgentProfile } from '../store/agent-store.js';
import type { Connection, Identity } from './connection.js';
import type { ConnectionRegistry } from './connection-registry.js';
import { sendError, type RequestId } from './router.js';

/** Who a connection proved to be, and how it asked to come in. */
export interface Admission {
  identity: Identity;
  /** What its hello said about the agent (empty when the upgrade authenticated it). */
  profile: AgentProfile;
  /** Watching as a tool, not coming online as the agent. */
  observer: boolean;
  /** The hello's request id, echoed by the reply. */
  re: RequestId;
}

export type ConnectionLifecycle = ReturnType<typeof createConnectionLifecycle>;

export function createConnectionLifecycle(deps: { connections: ConnectionRegistry; config: Pick<HubConfig, 'maxConnections'>; logger: Logger }) {
  const admitHooks: ((conn: Connection, admission: Admission) => void)[] = [];
  const closeHooks: ((conn: Connection) => void)[] = [];
  let gate: ((conn: Connection, admission: Admission) => boolean) | undefined;

  return {
    onAdmit(hook: (conn: Connection, admission: Admission) => void): void {
      admitHooks.push(hook);
    },
    onClose(hook: (conn: Connection) => void): void {
      closeHooks.push(hook);
    },
    /** Sets the check every admission passes first; it returns true when it took the connection over (kept it waiting, or refused it). */
    gate(check: (conn: Connection, admission: Admission) => boolean): void {
      gate = check;
    },
    /** Lets an authenticated connection in, or closes it when the hub is full. */
    admit(conn: Connection, admission: Admission): void {
      const { identity, observer, re } = admission;
      clearTimeout(conn.helloTimer);
      if (gate?.(conn, admission) === true) return;
      if (!deps.connections.authenticate(conn, identity)) {
        const error = new SwitchboardError('SB_ERR_TOO_MANY_CONNECTIONS', `the hub allows ${deps.config.maxConnections} connections at once; try again later`);
        sendError(conn, re, error);
        conn.close(closeCodeFor(error.code) ?? 1013, `${error.code}: ${error.message}`);
        return;
      }
      conn.observer = observer;
      deps.logger.debug(observer ? 'observer connected' : 'agent connected', { client: conn.id, agent: identity.agent });
      for (const hook of admitHooks) hook(conn, admission);
    },
    /** The socket closed: every feature lets the connection go. */
    close(conn: Connection): void {
      clearTimeout(conn.helloTimer);
      deps.connections.remove(conn);
      for (const hook of closeHooks) hook(conn);
      deps.logger.debug('connection closed', { client: conn.id, agent: conn.identity?.agent });
    },
  };
}
