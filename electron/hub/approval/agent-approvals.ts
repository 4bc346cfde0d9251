/**
 * Approval of new agents (the `approveNewAgents` setting). The first connection of an agent name the hub
 * does not know waits, after its hello, until the person allows or denies the name; the decision is
 * remembered. Who never waits, and why, is in docs/decisions.md ("Approval of new agents"):
 *   - browser sessions, and an admin token acting as itself (`user`): the person at the machine;
 *   - an agent-bound token: an admin made it for that very name;
 *   - observers (tools such as `switchboard tail`): they never come online as an agent;
 *   - any name while the setting is off: it is remembered as approved, so switching the setting on later
 *     never locks out an agent that works.
 * A denied name is refused with SB_ERR_DENIED whatever its token, while the setting is on.
 *
 * Waiting is bounded: MAX_WAITING_CONNECTIONS connections and MAX_PENDING_NAMES names at once, each
 * connection for approvalTimeoutMs, so a local process opening connections under new names cannot grow
 * the hub's memory.
 */
import {
  approvalPrompt,
  closeCodeFor,
  SwitchboardError,
  type ApprovalPendingFrame,
  type ApprovalRequest,
  type ApprovalRequestsFrame,
  type ConnectionProcess,
} from '../../../shared/index.js';
import { DEFAULT_ADMIN_AGENT } from '../auth/auth.js';
import type { Clock } from '../../common/clock.js';
import type { HubConfig } from '../config.js';
import type { Logger } from '../../common/logger.js';
import type { PeerProcesses } from '../peer-process/index.js';
import type { TcpEndpoints } from '../peer-process/endpoints.js';
import type { ApprovalDecision, ApprovalRow, ApprovalStore } from '../store/approval-store.js';
import type { EventStore } from '../store/event-store.js';
import type { Connection, Identity } from '../ws/connection.js';
import type { Admission, ConnectionLifecycle } from '../ws/connection-lifecycle.js';
import type { ConnectionRegistry } from '../ws/connection-registry.js';
import { sendError } from '../ws/router.js';

/** Connections that may wait for approval at once; more are refused with SB_ERR_TOO_MANY_CONNECTIONS. */
export const MAX_WAITING_CONNECTIONS = 32;

/** Agent names that may wait for approval at once. */
export const MAX_PENDING_NAMES = 16;

/** Who a name's remembered approval is by when nobody was asked. */
const APPROVAL_OFF = 'approval off';

const LOOKING: ConnectionProcess = { unknown: true, reason: 'still looking' };

interface Waiter {
  conn: Connection;
  admission: Admission;
  timer: NodeJS.Timeout;
}

interface PendingName {
  agent: string;
  requestedAt: number;
  /** The latest deadline of its waiting connections and HTTP requests: the request is dropped then. */
  expiresAt: number;
  process: ConnectionProcess;
  waiters: Set<Waiter>;
  expiry: NodeJS.Timeout | undefined;
}

export type AgentApprovals = ReturnType<typeof createAgentApprovals>;

export function createAgentApprovals(deps: {
  store: ApprovalStore;
  events: EventStore;
  connections: ConnectionRegistry;
  lifecycle: ConnectionLifecycle;
  peerProcesses: PeerProcesses;
  config: Pick<HubConfig, 'approveNewAgents' | 'approvalTimeoutMs'>;
  clock: Clock;
  logger: Logger;
}) {
  let enabled = deps.config.approveNewAgents;
  const pending = new Map<string, PendingName>();
  const waiting = new Map<Connection, Waiter>();
  const watchers = new Set<Connection>();
  const requestListeners = new Set<(request: ApprovalRequest) => void>();
  const timeoutMs = deps.config.approvalTimeoutMs;
  const now = (): number => deps.clock.now();

  const view = (name: PendingName): ApprovalRequest => ({
    agent: name.agent,
    process: name.process,
    prompt: approvalPrompt(name.agent, name.process),
    waiting: name.waiters.size,
    requested_at: new Date(name.requestedAt).toISOString(),
    expires_at: new Date(name.expiresAt).toISOString(),
  });

  const list = (): ApprovalRequest[] => [...pending.values()].sort((a, b) => a.requestedAt - b.requestedAt).map(view);

  /** Tells the watching connections (the dashboard) every name waiting now. */
  const changed = (): void => {
    if (watchers.size === 0) return;
    const frame: ApprovalRequestsFrame = { type: 'approval_requests', pending: list() };
    const data = JSON.stringify(frame);
    for (const conn of watchers) if (!conn.send(data) && !conn.isOpen) watchers.delete(conn);
  };

  /** A name let in without asking is remembered, so it never waits later; bookkeeping that a failing disk does not stop. */
  const remember = (agent: string): void => {
    try {
      deps.store.decide(agent, 'approved', APPROVAL_OFF, now());
    } catch (error) {
      deps.logger.debug('could not remember an agent name', { agent, error: String(error) });
    }
  };

  /** Whether this identity comes in, waits, or is refused. */
  const verdict = (identity: Identity, observer: boolean): 'pass' | 'hold' | SwitchboardError => {
    if (identity.via === 'cookie' || (identity.admin && identity.agent === DEFAULT_ADMIN_AGENT)) return 'pass';
    const decision = deps.store.get(identity.agent)?.decision;
    if (!enabled) {
      // An observer is a tool, not an agent: its name is not one to remember.
      if (decision === undefined && !observer) remember(identity.agent);
      return 'pass';
    }
    if (decision === 'denied') {
      return new SwitchboardError(
        'SB_ERR_DENIED',
        `the person at this machine denied agent "${identity.agent}"; an admin can allow it on the dashboard's Agents page`,
      );
    }
    if (decision === 'approved' || !identity.admin || observer) return 'pass';
    return 'hold';
  };

  const armExpiry = (name: PendingName): void => {
    clearTimeout(name.expiry);
    name.expiry = setTimeout(() => expire(name), Math.max(0, name.expiresAt - now())).unref();
  };

  /** The request's time is up: it is dropped once no connection waits for it any more. */
  const expire = (name: PendingName): void => {
    if (pending.get(name.agent) !== name) return;
    if (name.waiters.size > 0) {
      armExpiry(name);
      return;
    }
    pending.delete(name.agent);
    changed();
  };

  /** The waiting request for a name, made (and its process looked up) when it is the first; undefined when too many names wait. */
  const requestFor = (agent: string, ends: TcpEndpoints | undefined): PendingName | undefined => {
    const existing = pending.get(agent);
    if (existing !== undefined) return existing;
    if (pending.size >= MAX_PENDING_NAMES) return undefined;
    const time = now();
    const name: PendingName = { agent, requestedAt: time, expiresAt: time, process: LOOKING, waiters: new Set(), expiry: undefined };
    pending.set(agent, name);
    void deps.peerProcesses.find(ends).then((process) => {
      name.process = process;
      if (pending.get(agent) !== name) return;
      try {
        deps.events.record('agent_approval_requested', now(), { subject: agent, detail: { prompt: approvalPrompt(agent, process) } });
      } catch (error) {
        // The audit line is lost with a failing disk; the person is still asked.
        deps.logger.warn('could not record an approval request', { agent, error: String(error) });
      }
      const request = view(name);
      for (const listener of requestListeners) listener(request);
      changed();
    });
    return name;
  };

  const extend = (name: PendingName): void => {
    name.expiresAt = Math.max(name.expiresAt, now() + timeoutMs);
    armExpiry(name);
  };

  const release = (waiter: Waiter): void => {
    clearTimeout(waiter.timer);
    waiting.delete(waiter.conn);
    pending.get(waiter.conn.awaitingApproval ?? '')?.waiters.delete(waiter);
    waiter.conn.awaitingApproval = undefined;
  };

  const refuse = (conn: Connection, admission: Admission, error: SwitchboardError): void => {
    sendError(conn, admission.re, error);
    conn.close(closeCodeFor(error.code) ?? 1008, `${error.code}: ${error.message}`);
  };

  /** Keeps an admitted connection waiting for the person: `approval_pending` now, `welcome` or an error later. */
  const hold = (conn: Connection, admission: Admission): void => {
    const agent = admission.identity.agent;
    const name = waiting.size < MAX_WAITING_CONNECTIONS ? requestFor(agent, conn.endpoints) : undefined;
    if (name === undefined) {
      const what = waiting.size >= MAX_WAITING_CONNECTIONS ? `${MAX_WAITING_CONNECTIONS} connections` : `${MAX_PENDING_NAMES} agent names`;
      refuse(conn, admission, new SwitchboardError('SB_ERR_TOO_MANY_CONNECTIONS', `${what} are already waiting for approval; try again later`));
      return;
    }
    deps.connections.hold(conn);
    conn.awaitingApproval = agent;
    const waiter: Waiter = {
      conn,
      admission,
      timer: setTimeout(() => {
        release(waiter);
        changed();
        refuse(
          conn,
          admission,
          new SwitchboardError(
            'SB_ERR_APPROVAL_TIMEOUT',
            `nobody allowed agent "${agent}" within ${timeoutMs / 1000} s; ask the person at this machine to allow it, then connect again`,
          ),
        );
      }, timeoutMs).unref(),
    };
    waiting.set(conn, waiter);
    name.waiters.add(waiter);
    extend(name);
    const frame: ApprovalPendingFrame = {
      type: 'approval_pending',
      agent,
      timeout_ms: timeoutMs,
      message: `agent "${agent}" is new to this hub: waiting for the person at this machine to allow it (up to ${timeoutMs / 1000} s)`,
    };
    if (admission.re !== undefined) frame.re = admission.re;
    conn.sendFrame(frame);
    // A name just asked for is pushed once its process is known (the lookup's end pushes it).
    if (name.process !== LOOKING) changed();
  };

  deps.lifecycle.gate((conn, admission) => {
    const decided = verdict(admission.identity, admission.observer);
    if (decided === 'pass') return false;
    if (decided === 'hold') hold(conn, admission);
    else refuse(conn, admission, decided);
    return true;
  });

  return {
    /**
     * Refuses an HTTP request acting as a name that is denied or not allowed yet; a new name is put to the
     * person as a connection would be, and the request refused at once with SB_ERR_NOT_APPROVED.
     */
    checkRequest(identity: Identity, ends: TcpEndpoints | undefined): void {
      const decided = verdict(identity, false);
      if (decided === 'pass') return;
      if (decided instanceof SwitchboardError) throw decided;
      const name = requestFor(identity.agent, ends);
      if (name !== undefined) extend(name);
      throw new SwitchboardError(
        'SB_ERR_NOT_APPROVED',
        `agent "${identity.agent}" is new to this hub and waits for the person at this machine to allow it; try again once they did`,
      );
    },
    /** Allows or denies a name: remembered, audited, and the connections waiting for it are let in or closed. */
    decide(agent: string, decision: ApprovalDecision, by: string): { approval: ApprovalRow; settled: number } {
      const approval = deps.store.decide(agent, decision, by, now());
      const name = pending.get(agent);
      const waiters = name === undefined ? [] : [...name.waiters];
      deps.events.record(decision === 'approved' ? 'agent_approved' : 'agent_denied', now(), {
        actor: by,
        subject: agent,
        detail: { waiting: waiters.length },
      });
      if (name !== undefined) {
        clearTimeout(name.expiry);
        pending.delete(agent);
      }
      for (const waiter of waiters) {
        release(waiter);
        if (!waiter.conn.isOpen) continue;
        if (decision === 'approved') deps.lifecycle.admit(waiter.conn, waiter.admission);
        else refuse(waiter.conn, waiter.admission, new SwitchboardError('SB_ERR_DENIED', `the person at this machine denied agent "${agent}"`));
      }
      changed();
      return { approval, settled: waiters.length };
    },
    /** Forgets a name's decision, so its next connection asks again. */
    forget(agent: string, by: string): boolean {
      const forgotten = deps.store.forget(agent);
      if (forgotten) deps.events.record('agent_approval_forgotten', now(), { actor: by, subject: agent });
      return forgotten;
    },
    pending: list,
    decisions(): ApprovalRow[] {
      return deps.store.list();
    },
    get enabled(): boolean {
      return enabled;
    },
    /** Switches approval on or off while the hub runs; switched off, the names waiting are let in. */
    setEnabled(on: boolean): void {
      enabled = on;
      if (on) return;
      for (const agent of [...pending.keys()]) this.decide(agent, 'approved', APPROVAL_OFF);
    },
    /** `subscribe` with `"alerts": true` (admin only) also pushes `approval_requests`, the names waiting now first. */
    watch(conn: Connection, on: boolean): void {
      if (!on || conn.identity?.admin !== true) {
        watchers.delete(conn);
        return;
      }
      watchers.add(conn);
      const frame: ApprovalRequestsFrame = { type: 'approval_requests', pending: list() };
      conn.sendFrame(frame);
    },
    /** A connection closed: it waits no more and watches no more. */
    closed(conn: Connection): void {
      watchers.delete(conn);
      const waiter = waiting.get(conn);
      if (waiter === undefined) return;
      release(waiter);
      changed();
    },
    /** A new name asks to come in (once its process is known): the desktop shell shows a notification. */
    onRequest(listener: (request: ApprovalRequest) => void): () => void {
      requestListeners.add(listener);
      return () => requestListeners.delete(listener);
    },
    close(): void {
      for (const name of pending.values()) clearTimeout(name.expiry);
      for (const waiter of waiting.values()) clearTimeout(waiter.timer);
    },
  };
}
