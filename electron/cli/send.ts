/** `switchboard send <conversation> <text>`: post one message and print where it was stored. */
import { parseArgs } from 'node:util';
import type { StoredMessage } from '../../shared/index.js';
import { callHub, CliError, connectionFor } from './hub-client.js';

export async function send(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, type: { type: 'string' }, as: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: true,
  });
  const [conversation, ...words] = positionals;
  if (conversation === undefined || words.length === 0) throw new CliError('Usage: switchboard send <conversation> <text> [--type TYPE] [--as AGENT]');
  const info = connectionFor(values['data-dir']);
  const body = await callHub(info, 'POST', '/api/messages', {
    body: { conversation_id: conversation, content: words.join(' '), ...(values.type === undefined ? {} : { message_type: values.type }) },
    agent: values.as,
  });
  const message = body['message'] as StoredMessage;
  if (values.json === true) process.stdout.write(`${JSON.stringify(message)}\n`);
  else process.stdout.write(`Stored ${message.id} (seq ${message.seq}) in "${message.conversation_id}" as ${message.sender}\n`);
}
