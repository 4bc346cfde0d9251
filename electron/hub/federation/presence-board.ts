/**
 * Presence across hubs: a JetStream key-value bucket where every hub keeps one entry per agent online on it
 * (`<hub id>.<agent>`), written when the agent comes online and again every few seconds, deleted when it
 * goes. Entries expire with the bucket's TTL, so the agents of a hub that died leave the other hubs'
 * listings within that time. Watching the bucket keeps the other hubs' agents in memory here.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { Kvm, type KV } from '@nats-io/kv';
import type { AgentInfo } from '../../../shared/protocol/index.js';
import type { Presence } from '../messaging/presence.js';

/** An entry lives this long after it was last written; hubs rewrite theirs well within it. */
export const PRESENCE_TTL_MS = 30_000;
const REFRESH_MS = 10_000;

/** What a hub writes for one of its agents. */
interface PresenceEntry {
  hub: string;
  agent: AgentInfo;
}

/** Agent names may hold any character; keys may not: the name goes in base64url. */
const keyOf = (hubId: string, agent: string): string => `${hubId}.${Buffer.from(agent).toString('base64url')}`;

export interface PresenceBoard {
  /** Agents online on other hubs, as last written there and not expired. */
  remote(): AgentInfo[];
  close(): Promise<void>;
}

export async function openPresenceBoard(options: {
  connection: NatsConnection;
  bucket: string;
  replicas: number;
  hubId: string;
  presence: Pick<Presence, 'on' | 'list'>;
  /** While NATS is away, nothing is written (the next refresh after it is back writes everything). */
  connected: () => boolean;
  /** An agent of another hub came online (`agent@hub`): tasks waiting for it may go. */
  joined: (name: string) => void;
  /** An agent of another hub went offline: its unaccepted offers go back to the queue. */
  left: (name: string) => void;
  now: () => number;
  failed: (what: string, error: unknown) => void;
}): Promise<PresenceBoard> {
  const { hubId, presence, now, failed } = options;
  const kv: KV = await new Kvm(options.connection).create(options.bucket, { ttl: PRESENCE_TTL_MS, history: 1, replicas: options.replicas });
  const others = new Map<string, { entry: PresenceEntry; seenAt: number }>();
  let closed = false;

  const write = (agent: AgentInfo): void => {
    if (closed || !options.connected()) return;
    const entry: PresenceEntry = { hub: hubId, agent: { ...agent, hub: hubId } };
    kv.put(keyOf(hubId, agent.id), JSON.stringify(entry)).catch((error: unknown) => failed('could not share presence', error));
  };
  const writeAll = (): void => {
    for (const agent of presence.list()) if (agent.online) write(agent);
  };
  const onlineAgent = (id: string): void => {
    const agent = presence.list().find((a) => a.id === id && a.online);
    if (agent !== undefined) write(agent);
  };
  presence.on('online', onlineAgent);
  presence.on('joined', onlineAgent);
  presence.on('offline', (id) => {
    if (!closed && options.connected()) kv.delete(keyOf(hubId, id)).catch((error: unknown) => failed('could not share presence', error));
  });

  const watch = await kv.watch({ key: '>' });
  void (async () => {
    for await (const change of watch) {
      if (change.key.startsWith(`${hubId}.`)) continue;
      const before = others.get(change.key)?.entry;
      if (change.operation === 'PUT') {
        try {
          const entry = change.json<PresenceEntry>();
          others.set(change.key, { entry, seenAt: now() });
          if (before === undefined) options.joined(`${entry.agent.id}@${entry.hub}`);
        } catch {
          others.delete(change.key);
        }
      } else {
        others.delete(change.key);
        if (before !== undefined) options.left(`${before.agent.id}@${before.hub}`);
      }
    }
  })();

  writeAll();
  const refresh = setInterval(writeAll, REFRESH_MS);

  return {
    remote() {
      const oldest = now() - PRESENCE_TTL_MS;
      const agents: AgentInfo[] = [];
      for (const [key, { entry, seenAt }] of others) {
        if (seenAt < oldest) others.delete(key);
        else agents.push({ ...entry.agent, hub: entry.hub });
      }
      return agents.sort((a, b) => (a.hub ?? '').localeCompare(b.hub ?? '') || a.id.localeCompare(b.id));
    },
    async close() {
      closed = true;
      clearInterval(refresh);
      watch.stop();
    },
  };
}
