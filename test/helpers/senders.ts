/** Agents that send without pause over a raw WebSocket, recording every acknowledgement (crash and backup tests). */
import WebSocket from 'ws';
import type { StoredMessage } from '../../shared/index.js';

/** What an ack says was stored: the fields compared with a database read back later. */
export type Acked = Pick<StoredMessage, 'seq' | 'conversation_id' | 'sender' | 'content'> & { client_msg_id: string | undefined };

export interface Sender {
  /** Every acknowledged message, in the order the acks came. */
  acks: Acked[];
  /** Sends made, acknowledged or not. */
  sent: number;
  /** Resolves with the close code once the socket closes. */
  closed: Promise<number>;
  /** Stops sending, closes the socket and waits for it to close. */
  stop(): Promise<number>;
}

/**
 * Connects as `agent` and, once welcomed, keeps `inFlight` messages unacknowledged at all times, taking
 * `conversations` in turn, until the socket closes. Resolves once welcomed.
 */
export function startSender(hub: { wsUrl: string; token: string }, agent: string, conversations: readonly string[], inFlight = 16): Promise<Sender> {
  const socket = new WebSocket(hub.wsUrl);
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const state: Sender = {
    acks: [],
    sent: 0,
    closed,
    stop() {
      socket.close(1000);
      return closed;
    },
  };
  socket.on('error', () => {});
  const sendNext = (): void => {
    if (socket.readyState !== WebSocket.OPEN) return;
    const n = state.sent++;
    const id = `${agent}-${n}`;
    const conversation_id = conversations[n % conversations.length];
    socket.send(JSON.stringify({ type: 'send_message', id, client_msg_id: id, conversation_id, content: `${agent} says ${n}` }));
  };
  return new Promise((resolve, reject) => {
    socket.on('open', () => socket.send(JSON.stringify({ type: 'hello', token: hub.token, agent })));
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as { type: string; message?: StoredMessage };
      if (frame.type === 'welcome') {
        for (let i = 0; i < inFlight; i++) sendNext();
        resolve(state);
      } else if (frame.type === 'ack' && frame.message !== undefined) {
        const { seq, conversation_id, sender, content, client_msg_id } = frame.message;
        state.acks.push({ seq, conversation_id, sender, content, client_msg_id });
        sendNext();
      } else if (frame.type === 'error') {
        reject(new Error(`unexpected error frame: ${data.toString('utf8')}`));
      }
    });
  });
}

/** Acknowledgements so far across senders. */
export const ackCount = (senders: readonly Sender[]): number => senders.reduce((n, s) => n + s.acks.length, 0);
