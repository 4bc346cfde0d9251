/** `switchboard secret [--rotate]`: the secret callbacks and alert webhooks are signed with, for the person to give receivers. */
import { parseArgs } from 'node:util';
import { callHub, CliError, connectionFor } from './hub-client.js';

const USAGE = 'Usage: switchboard secret [--rotate] [--json]';

export async function secret(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, rotate: { type: 'boolean' }, json: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new CliError(USAGE);
  const info = connectionFor(values['data-dir']);
  const answer = values.rotate === true ? await callHub(info, 'POST', '/api/callback-secret/rotate') : await callHub(info, 'GET', '/api/callback-secret');
  if (values.json === true) {
    const shown = { secret: answer['secret'], created_at: answer['created_at'], previous_valid_until: answer['previous_valid_until'], file: answer['file'] };
    process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    return;
  }
  const previous = answer['previous_valid_until'];
  const lines = [String(answer['secret'])];
  if (values.rotate === true) lines.push('A new callback secret: give it to your callback and webhook receivers.');
  if (typeof previous === 'string') lines.push(`The previous secret also signs until ${previous}.`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
