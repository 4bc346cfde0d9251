/**
 * The window's live link: the same client core agents use, on the browser's WebSocket. It subscribes to
 * every conversation, presence, tasks and (for the admin) alerts, and feeds what arrives to the store
 * through the per-animation-frame batcher. The core reconnects by itself; this says so in the header.
 */
import { SwitchboardClient, webSocketTransport, type ConnectionStatus } from '../../../shared/client/index.js';
import { FrameBatcher, type Schedule } from '../store/frame-batcher.js';
import type { LiveItem } from '../store/live-state.js';
import { useStore } from '../store/store.js';
import type { HubAccess } from './hub-access.js';

let client: SwitchboardClient | undefined;

/** Once per animation frame; a hidden tab gets no frames, so fall back to a timer there. */
const animationFrameSchedule: Schedule = (flush) => {
  if (typeof document !== 'undefined' && document.visibilityState === 'hidden') setTimeout(flush, 250);
  else requestAnimationFrame(() => flush());
};

/** The connected client, for views that send (post as the person). */
export function liveClient(): SwitchboardClient {
  if (client === undefined) throw new Error('not connected to the hub yet');
  return client;
}

export async function startLive(access: HubAccess, session: { agent: string; admin: boolean }): Promise<void> {
  if (client !== undefined) return;
  const store = useStore.getState();
  const batcher = new FrameBatcher<LiveItem>((items) => useStore.getState().applyItems(items), animationFrameSchedule);
  const live = new SwitchboardClient({ url: access.wsUrl, transport: webSocketTransport(WebSocket) });
  client = live;
  let everConnected = false;
  live.on('status', (status: ConnectionStatus) => {
    if (status === 'connected') {
      const wasBack = everConnected;
      everConnected = true;
      useStore.getState().connected(session);
      if (wasBack) useStore.getState().setLink('connected', 'Reconnected to the hub.');
      void live.request({ type: 'subscribe', presence: true, tasks: true, ...(session.admin ? { alerts: true } : {}) }).catch(() => undefined);
    } else if (status === 'reconnecting' || status === 'disconnected') {
      useStore.getState().setLink('reconnecting', 'Lost the connection to the hub — reconnecting…');
    } else if (status === 'closed') {
      useStore.getState().setLink('closed');
    }
  });
  live.on('message', (message) => batcher.push({ kind: 'message', message }));
  live.on('frame', (frame) => {
    if (frame.type !== 'new_message') batcher.push({ kind: 'frame', frame });
  });
  live.subscribe('*', () => undefined);
  setInterval(() => useStore.getState().tick(), 1000);
  store.setLink('connecting');
  await live.start();
}
