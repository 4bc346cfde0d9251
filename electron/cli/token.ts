/** `switchboard token create <agent> [--value SECRET|-] | list | revoke <id>`: agent tokens, managed with the admin token. */
import { parseArgs } from 'node:util';
import type { TokenRecord } from '../hub/store/token-store.js';
import { callHub, CliError, connectionFor } from './hub-client.js';

const holder = (t: TokenRecord): string => (t.kind === 'session' ? '(browser session)' : t.admin ? '(admin)' : (t.agent ?? ''));

function state(t: TokenRecord): string {
  if (t.revoked_at !== null) return 'revoked';
  return t.expires_at !== null && Date.parse(t.expires_at) <= Date.now() ? 'expired' : 'active';
}

/** `--value -` reads the secret from standard input, so it stays out of the shell history and the process list. */
async function adoptedValue(flag: string | undefined): Promise<string | undefined> {
  if (flag !== '-') return flag;
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.trim();
}

export async function token(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, label: { type: 'string' }, value: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: true,
  });
  const [action, arg] = positionals;
  const info = connectionFor(values['data-dir']);
  if (action === 'create') {
    if (arg === undefined) throw new CliError('Usage: switchboard token create <agent> [--label TEXT] [--value SECRET|-]');
    const value = await adoptedValue(values.value);
    const body = await callHub(info, 'POST', '/api/tokens', {
      body: { agent: arg, ...(values.label === undefined ? {} : { label: values.label }), ...(value === undefined ? {} : { value }) },
    });
    const created = body['token'] as TokenRecord & { token: string };
    if (values.json === true) process.stdout.write(`${JSON.stringify(created, null, 2)}\n`);
    else if (value !== undefined) process.stdout.write(`Token ${created.id} for agent "${arg}" now accepts the value you gave (stored only as its hash).\n`);
    else process.stdout.write(`${created.token}\nToken ${created.id} for agent "${arg}". It is shown only now: store it where the agent can read it.\n`);
    return;
  }
  if (action === 'list') {
    const tokens = (await callHub(info, 'GET', '/api/tokens'))['tokens'] as TokenRecord[];
    if (values.json === true) {
      process.stdout.write(`${JSON.stringify(tokens, null, 2)}\n`);
      return;
    }
    const rows = tokens.map((t) => [t.id, holder(t), state(t), t.created_at, t.last_used_at ?? 'never'].join('  '));
    process.stdout.write(`${['id  agent  state  created  last used', ...rows].join('\n')}\n`);
    return;
  }
  if (action === 'revoke') {
    if (arg === undefined) throw new CliError('Usage: switchboard token revoke <id>');
    const body = await callHub(info, 'DELETE', `/api/tokens/${encodeURIComponent(arg)}`);
    process.stdout.write(body['revoked'] === true ? `Revoked ${arg}; its connections were closed.\n` : `${arg} was already revoked.\n`);
    return;
  }
  throw new CliError('Usage: switchboard token create <agent> [--value SECRET|-] | list | revoke <id>');
}
