/** `switchboard tail [conversation]`: print messages live, optionally replaying from a cursor first. */
import WebSocket from 'ws';
import type { StoredMessage } from '../../shared/index.js';
import { CliError, connectionFor } from './hub-client.js';

export function formatMessage(message: StoredMessage): string {
  const time = message.created_at.slice(11, 19);
  return `${time} #${message.seq} [${message.conversation_id}] ${message.sender} (${message.message_type}): ${message.content}`;
}

export async function tail(
  conversation: string | undefined,
  values: { dataDir?: string | undefined; since?: string | undefined; json?: boolean | undefined },
): Promise<void> {
  const since = values.since === undefined ? undefined : Number(values.since);
  if (since !== undefined && (!Number.isInteger(since) || since < 0)) throw new CliError('--since must be a seq number (0 replays everything)');
  const info = connectionFor(values.dataDir);
  // An observer: the hub does not list `cli-tail` as an agent, nor offer it tasks or direct messages.
  const headers = { authorization: `Bearer ${info.token}`, 'x-agent-name': 'cli-tail', 'x-switchboard-observer': '1' };
  const socket = new WebSocket(info.url, { headers });
  await new Promise<void>((resolve, reject) => {
    socket.on('open', () => {
      const conversations = conversation === undefined ? '*' : [conversation];
      socket.send(JSON.stringify({ type: 'subscribe', conversations, ...(since === undefined ? {} : { since }) }));
    });
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as { type: string } & Partial<StoredMessage> & { message?: string; full_content?: string };
      if (frame.type === 'new_message' || frame.type === 'stream_end') {
        process.stdout.write(`${values.json === true ? JSON.stringify(frame) : formatMessage(frame as StoredMessage)}\n`);
      } else if (frame.type === 'error') {
        process.stderr.write(`${String(frame.message)}\n`);
      }
    });
    socket.on('error', () => reject(new CliError(`Switchboard is not running: nothing answers at ${info.url}`)));
    socket.on('close', (code, reason) => {
      process.stderr.write(`Connection closed (${code}${reason.length > 0 ? `: ${reason.toString()}` : ''})\n`);
      resolve();
    });
    const stop = (): void => socket.close(1000);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
