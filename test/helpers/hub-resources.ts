/**
 * What a hub leaves open after stop(): the handles (sockets, servers, child processes), timers and worker
 * threads made on its behalf. Everything made while the hub starts, stops or answers a socket descends,
 * through async context, from the scope the test runs start() and stop() in; the test's own clients, timers
 * and servers do not, so they never count against the hub. Unref'd timers and workers count too: they do
 * not keep the process alive, yet keep running after the hub has stopped.
 */
import { AsyncResource, createHook } from 'node:async_hooks';

/** Resource types that hold something open or run code later; promises and one-off callbacks are left out. */
const HELD = new Set([
  'Timeout',
  'Immediate',
  'TCPWRAP',
  'TCPSERVERWRAP',
  'TCPCONNECTWRAP',
  'PIPEWRAP',
  'PIPESERVERWRAP',
  'PROCESSWRAP',
  'UDPWRAP',
  'FSEVENTWRAP',
  'STATWATCHER',
  'SIGNALWRAP',
  'WORKER',
  'MESSAGEPORT',
]);

/** How long after the check begins what a stopped hub made may still be closing: some closes are reported a moment after stop() returns. */
const SETTLE_MS = 2_000;

/**
 * Node's HTTP server keeps the Date header it writes for up to a second, on a timer of its own shared by
 * every server in the process. Not the hub's to close; left out so the check need not wait for it (were
 * Node to rename it, the check would only wait that second).
 */
const isDateHeaderCache = (resource: object): boolean => (resource as { _onTimeout?: { name?: string } })._onTimeout?.name === 'resetCache';

interface Scope {
  /** Who made the hub, for the report. */
  label: string;
  /** Open resources of a HELD type: async id → type. */
  open: Map<number, string>;
  context: AsyncResource;
}

/** Every async id made within a scope (promises too: later work is made in their context). */
const owners = new Map<number, Scope>();
/** Scopes whose hub has stopped and whose resources are not all closed yet. */
const stopped = new Set<Scope>();
let live = 0;

const hook = createHook({
  init(asyncId, type, triggerAsyncId, resource) {
    const scope = owners.get(triggerAsyncId);
    if (scope === undefined) return;
    owners.set(asyncId, scope);
    if (HELD.has(type) && !(type === 'Timeout' && isDateHeaderCache(resource))) scope.open.set(asyncId, type);
  },
  destroy(asyncId) {
    owners.get(asyncId)?.open.delete(asyncId);
  },
});

function end(scope: Scope): void {
  for (const [id, owner] of owners) if (owner === scope) owners.delete(id);
  scope.context.emitDestroy();
  stopped.delete(scope);
  if (--live === 0) hook.disable();
}

export interface ResourceScope {
  /**
   * Runs `work` so that everything it makes, now or later, belongs to this scope. What the caller does
   * after awaiting the result does not: a promise made in the scope would carry the scope to its awaiter.
   */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** The hub has stopped, or failed to start: from now on, what it made must close. */
  stopped(): void;
}

/** A scope for one hub; `label` names it in the report of what it left open. */
export function resourceScope(label: string): ResourceScope {
  if (live++ === 0) hook.enable();
  const scope: Scope = { label, open: new Map(), context: new AsyncResource('SwitchboardHub') };
  owners.set(scope.context.asyncId(), scope);
  return {
    run: (work) => new Promise((resolve, reject) => void scope.context.runInAsyncScope(work).then(resolve, reject)),
    stopped() {
      if (scope.open.size === 0) end(scope);
      else stopped.add(scope);
    },
  };
}

/**
 * Waits until stopped hubs have closed everything they made, for up to SETTLE_MS; returns a line for
 * each hub that still holds something, naming what by type (none when all closed).
 */
export async function leftOpenByStoppedHubs(): Promise<string[]> {
  const deadline = Date.now() + SETTLE_MS;
  const closing = (): Scope[] => [...stopped].filter((scope) => scope.open.size > 0);
  while (closing().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  const report = closing().map((scope) => {
    const counts: Record<string, number> = {};
    for (const type of scope.open.values()) counts[type] = (counts[type] ?? 0) + 1;
    return `${scope.label}: ${JSON.stringify(counts)}`;
  });
  for (const scope of [...stopped]) end(scope);
  return report;
}
