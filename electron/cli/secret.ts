/** `switchboard secret [--rotate]`: the secret callbacks and alert webhooks are signed with, for the person to give receivers. */
import { callHub, connectionFor } from './hub-client.js';

export async function secret(values: { dataDir?: string | undefined; rotate?: boolean | undefined; json?: boolean | undefined }): Promise<void> {
  const info = connectionFor(values.dataDir);
  const answer = values.rotate === true ? await callHub(info, 'POST', '/api/callback-secret/rotate') : await callHub(info, 'GET', '/api/callback-secret');
  if (values.json === true) {
    const shown = { secret: answer['secret'], created_at: answer['created_at'], previous_valid_until: answer['previous_valid_until'], file: answer['file'] };
    process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    return;
  }
  // Only the secret on stdout, so it can be piped or captured; what it means goes to stderr.
  process.stdout.write(`${String(answer['secret'])}\n`);
  const previous = answer['previous_valid_until'];
  const notes: string[] = [];
  if (values.rotate === true) notes.push('A new callback secret: give it to your callback and webhook receivers.');
  if (typeof previous === 'string') notes.push(`The previous secret also signs until ${previous}.`);
  if (notes.length > 0) process.stderr.write(`${notes.join('\n')}\n`);
}
