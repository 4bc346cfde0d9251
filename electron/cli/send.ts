/** `switchboard send <conversation> <text>`: post one message and print where it was stored. */
import type { StoredMessage } from '../../shared/index.js';
import { callHub, connectionFor } from './hub-client.js';

export interface SendOptions {
  dataDir?: string | undefined;
  type?: string | undefined;
  as?: string | undefined;
  json?: boolean | undefined;
}

export async function send(conversation: string, words: string[], values: SendOptions): Promise<void> {
  const info = connectionFor(values.dataDir);
  const body = await callHub(info, 'POST', '/api/messages', {
    body: { conversation_id: conversation, content: words.join(' '), ...(values.type === undefined ? {} : { message_type: values.type }) },
    agent: values.as,
  });
  const message = body['message'] as StoredMessage;
  if (values.json === true) process.stdout.write(`${JSON.stringify(message)}\n`);
  else process.stdout.write(`Stored ${message.id} (seq ${message.seq}) in "${message.conversation_id}" as ${message.sender}\n`);
}
