/** `switchboard token create <agent> [--value SECRET|-] | list | revoke <id>`: agent tokens, managed with the admin token. Options are declared in program.ts. */
import type { TokenRecord } from '../../shared/index.js';
import { callHub, connectionFor } from './hub-client.js';
import { formatJson, formatTable } from './table.js';

interface CommonOptions {
  dataDir?: string | undefined;
  json?: boolean | undefined;
}

/** `token create`'s options: a new one is a field here and an `.option(...)` in program.ts. */
export interface CreateTokenOptions extends CommonOptions {
  label?: string | undefined;
  /** An existing secret to adopt (`-`: read it from standard input) instead of a new random one. */
  value?: string | undefined;
}

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

/**
 * Prints only the token on stdout (so `$(switchboard token create bot)` is the token); what it is goes to
 * stderr. An adopted value is never printed back: stdout then carries the token's id.
 */
export async function createToken(agent: string, options: CreateTokenOptions): Promise<void> {
  const info = connectionFor(options.dataDir);
  const value = await adoptedValue(options.value);
  const body = await callHub(info, 'POST', '/api/tokens', {
    body: { agent, ...(options.label === undefined ? {} : { label: options.label }), ...(value === undefined ? {} : { value }) },
  });
  const created = body['token'] as TokenRecord & { token?: string };
  if (options.json === true) {
    process.stdout.write(formatJson(created));
    return;
  }
  if (value !== undefined) {
    process.stdout.write(`${created.id}\n`);
    process.stderr.write(`Token ${created.id} for agent "${agent}" now accepts the value you gave (stored only as its hash).\n`);
    return;
  }
  process.stdout.write(`${created.token ?? ''}\n`);
  process.stderr.write(`Token ${created.id} for agent "${agent}". It is shown only now: store it where the agent can read it.\n`);
}

export async function listTokens(options: CommonOptions): Promise<void> {
  const tokens = (await callHub(connectionFor(options.dataDir), 'GET', '/api/tokens'))['tokens'] as TokenRecord[];
  if (options.json === true) {
    process.stdout.write(formatJson(tokens));
    return;
  }
  const rows = tokens.map((t) => [t.id, holder(t), state(t), t.created_at, t.last_used_at ?? 'never']);
  process.stdout.write(formatTable(['id', 'agent', 'state', 'created', 'last used'], rows));
}

export async function revokeToken(id: string, options: CommonOptions): Promise<void> {
  const body = await callHub(connectionFor(options.dataDir), 'DELETE', `/api/tokens/${encodeURIComponent(id)}`);
  process.stdout.write(body['revoked'] === true ? `Revoked ${id}; its connections were closed.\n` : `${id} was already revoked.\n`);
}
