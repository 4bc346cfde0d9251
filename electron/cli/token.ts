/** `switchboard token create <agent> | list | revoke <id>`: agent tokens, managed with the admin token. Options are declared in program.ts. */
import type { TokenRecord } from '../hub/store/token-store.js';
import { callHub, connectionFor } from './hub-client.js';
import { formatJson, formatTable } from './table.js';

interface CommonOptions {
  dataDir?: string | undefined;
  json?: boolean | undefined;
}

/** `token create`'s options: a new one is a field here and an `.option(...)` in program.ts. */
export interface CreateTokenOptions extends CommonOptions {
  label?: string | undefined;
}

const holder = (t: TokenRecord): string => (t.kind === 'session' ? '(browser session)' : t.admin ? '(admin)' : (t.agent ?? ''));

function state(t: TokenRecord): string {
  if (t.revoked_at !== null) return 'revoked';
  return t.expires_at !== null && Date.parse(t.expires_at) <= Date.now() ? 'expired' : 'active';
}

/** Prints only the token on stdout (so `$(switchboard token create bot)` is the token); what it is goes to stderr. */
export async function createToken(agent: string, options: CreateTokenOptions): Promise<void> {
  const info = connectionFor(options.dataDir);
  const body = await callHub(info, 'POST', '/api/tokens', { body: { agent, ...(options.label === undefined ? {} : { label: options.label }) } });
  const created = body['token'] as TokenRecord & { token: string };
  if (options.json === true) {
    process.stdout.write(formatJson(created));
    return;
  }
  process.stdout.write(`${created.token}\n`);
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
