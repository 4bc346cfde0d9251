/**
 * The federation section's logic without React: settings.json's `federation` object to and from what the
 * inputs hold, the checks made before saving, and whether what is saved is what the hub runs with. The
 * addresses, the hub id and the file paths are left to the hub, whose message is shown next to the section.
 */
import type { FederationDefaults } from '../../../../shared/index.js';

export const FEDERATION_LOGINS = ['none', 'password', 'token', 'credsFile', 'nkeySeedFile'] as const;
export type FederationLogin = (typeof FEDERATION_LOGINS)[number];

export const LOGIN_LABELS: Record<FederationLogin, string> = {
  none: 'None',
  password: 'User and password',
  token: 'Token',
  credsFile: 'Creds file',
  nkeySeedFile: 'NKey seed file',
};

/** What the section's inputs hold. */
export interface FederationForm {
  enabled: boolean;
  servers: string;
  hubId: string;
  conversations: string;
  replicas: string;
  login: FederationLogin;
  user: string;
  password: string;
  token: string;
  credsFile: string;
  nkeySeedFile: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  /** Saved settings the section does not show (such as `stream`), sent back as they are. */
  kept: Record<string, unknown>;
}

/** The inputs a problem found before saving can be about. */
export type FederationInput = 'servers' | 'conversations' | 'replicas' | 'user' | 'password' | 'token' | 'credsFile' | 'nkeySeedFile';
export type FederationErrors = Partial<Record<FederationInput, string>>;

export type ParsedFederation = { ok: true; value: Record<string, unknown> | null } | { ok: false; errors: FederationErrors };

const MAX_REPLICAS = 5;
const SHOWN_KEYS = new Set(['url', 'hubId', 'conversations', 'replicas', 'user', 'password', 'token', 'credsFile', 'nkeySeedFile', 'tls']);

export const FEDERATION_OFF: FederationForm = {
  enabled: false,
  servers: '',
  hubId: '',
  conversations: '',
  replicas: '',
  login: 'none',
  user: '',
  password: '',
  token: '',
  credsFile: '',
  nkeySeedFile: '',
  caFile: '',
  certFile: '',
  keyFile: '',
  kept: {},
};

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A saved value as input text: a list one item per line. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(textOf).join('\n');
  return '';
}

/** Items one per line or separated by commas, blanks dropped. */
export function splitList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function loginOf(saved: Record<string, unknown>): FederationLogin {
  if (saved['user'] !== undefined || saved['password'] !== undefined) return 'password';
  if (saved['token'] !== undefined) return 'token';
  if (saved['credsFile'] !== undefined) return 'credsFile';
  if (saved['nkeySeedFile'] !== undefined) return 'nkeySeedFile';
  return 'none';
}

/** The inputs for a saved `federation` object; anything else (absent, null) is federation off. */
export function federationFormOf(saved: unknown): FederationForm {
  if (!isObject(saved)) return FEDERATION_OFF;
  const tls = isObject(saved['tls']) ? saved['tls'] : {};
  return {
    enabled: true,
    servers: textOf(saved['url']),
    hubId: textOf(saved['hubId']),
    conversations: textOf(saved['conversations']),
    replicas: textOf(saved['replicas']),
    login: loginOf(saved),
    user: textOf(saved['user']),
    password: textOf(saved['password']),
    token: textOf(saved['token']),
    credsFile: textOf(saved['credsFile']),
    nkeySeedFile: textOf(saved['nkeySeedFile']),
    caFile: textOf(tls['caFile']),
    certFile: textOf(tls['certFile']),
    keyFile: textOf(tls['keyFile']),
    kept: Object.fromEntries(Object.entries(saved).filter(([key]) => !SHOWN_KEYS.has(key))),
  };
}

/** The login settings for the chosen way to log in; only that way's inputs are sent. */
function loginSettings(form: FederationForm, errors: FederationErrors): Record<string, string> {
  const needed = (input: FederationInput, value: string, message: string): string => {
    if (value.trim() === '') errors[input] = message;
    return value;
  };
  switch (form.login) {
    case 'none':
      return {};
    case 'password':
      return {
        user: needed('user', form.user.trim(), 'User needs a value'),
        // A password is sent as typed: spaces may belong to it.
        password: needed('password', form.password, 'Password needs a value'),
      };
    case 'token':
      return { token: needed('token', form.token.trim(), 'Token needs a value') };
    case 'credsFile':
      return { credsFile: needed('credsFile', form.credsFile.trim(), 'Creds file needs a path') };
    case 'nkeySeedFile':
      return { nkeySeedFile: needed('nkeySeedFile', form.nkeySeedFile.trim(), 'NKey seed file needs a path') };
  }
}

/** The `federation` object to save (null switches federation off), or what must be filled in first. Empty optional inputs are left out. */
export function parseFederationForm(form: FederationForm): ParsedFederation {
  if (!form.enabled) return { ok: true, value: null };
  const errors: FederationErrors = {};
  const servers = splitList(form.servers);
  if (servers.length === 0) errors.servers = 'Add at least one NATS server address, such as nats://10.0.0.5:4222';
  const conversations = splitList(form.conversations);
  if (conversations.length === 0) errors.conversations = 'Add at least one conversation name or pattern, such as team-*';
  const replicasText = form.replicas.trim();
  const replicas = Number(replicasText);
  if (replicasText !== '' && !(Number.isInteger(replicas) && replicas >= 1 && replicas <= MAX_REPLICAS)) {
    errors.replicas = `Replicas must be a whole number from 1 to ${MAX_REPLICAS}`;
  }
  const login = loginSettings(form, errors);
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const tls = Object.fromEntries((['caFile', 'certFile', 'keyFile'] as const).map((key) => [key, form[key].trim()] as const).filter(([, path]) => path !== ''));
  const hubId = form.hubId.trim();
  return {
    ok: true,
    value: {
      url: servers.length === 1 ? servers[0] : servers,
      ...(hubId === '' ? {} : { hubId }),
      conversations,
      ...(replicasText === '' ? {} : { replicas }),
      ...form.kept,
      ...login,
      ...(Object.keys(tls).length === 0 ? {} : { tls }),
    },
  };
}

/** JSON with object keys in order, so two objects holding the same settings compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Whether the inputs would save something other than the baseline (the saved settings). */
export function federationChanged(draft: FederationForm, baseline: FederationForm): boolean {
  const left = parseFederationForm(draft);
  const right = parseFederationForm(baseline);
  if (left.ok && right.ok) return canonical(left.value) !== canonical(right.value);
  return canonical(draft) !== canonical(baseline);
}

/**
 * What is saved but not yet in effect, in a few words, or undefined when the saved settings are what the
 * hub runs with (once the defaults are filled in).
 */
export function pendingFederation(saved: unknown, running: unknown, defaults: FederationDefaults): string | undefined {
  const filled = isObject(saved) ? { ...defaults, ...saved } : undefined;
  return canonical(filled) === canonical(isObject(running) ? running : undefined) ? undefined : federationSummary(filled);
}

/** The running federation in a few words: off, or the hub id, its servers and what it shares. */
export function federationSummary(running: unknown): string {
  if (!isObject(running)) return 'off';
  const servers = splitList(textOf(running['url'])).join(', ');
  const shared = splitList(textOf(running['conversations'])).join(', ');
  return `on as ${textOf(running['hubId'])} via ${servers}, sharing ${shared}`;
}
