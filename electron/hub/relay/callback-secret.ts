/**
 * The hub's callback signing secret in DATA_DIR/callback-secret.json (mode 0600): created at first
 * start, rotatable; after a rotation the previous secret signs as well for ROTATION_GRACE_MS.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../common/clock.js';
import { HubStartError } from '../../common/start-error.js';
import { signatureHeaders, type Signer } from './callback-signing.js';

export const CALLBACK_SECRET_FILE = 'callback-secret.json';
/** How long a rotated-out secret still signs: a day to give receivers the new one. */
export const ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

/** What the file holds, and what the admin API shows. */
export interface SecretInfo {
  secret: string;
  created_at: number;
  /** Until when (epoch ms) the previous secret also signs; null when none does. */
  previous_until: number | null;
}

interface SecretFile extends SecretInfo {
  previous: string | null;
}

export interface CallbackSecret {
  info(): SecretInfo;
  /** A new secret, at once; the old one keeps signing beside it for ROTATION_GRACE_MS. */
  rotate(): SecretInfo;
  /** Signs a body with the secrets in force now. */
  sign: Signer;
}

export function callbackSecretPath(dataDir: string): string {
  return join(dataDir, CALLBACK_SECRET_FILE);
}

/** Reads the secret, creating it at first start. A damaged file stops the start: replacing it silently would break every receiver. */
export function openCallbackSecret(dataDir: string, clock: Clock): CallbackSecret {
  const file = callbackSecretPath(dataDir);
  let state = readSecretFile(file) ?? writeSecretFile(file, { secret: newSecret(), created_at: clock.now(), previous: null, previous_until: null });
  const info = (): SecretInfo => ({
    secret: state.secret,
    created_at: state.created_at,
    previous_until: state.previous !== null && state.previous_until !== null && state.previous_until > clock.now() ? state.previous_until : null,
  });
  return {
    info,
    rotate() {
      const now = clock.now();
      state = writeSecretFile(file, { secret: newSecret(), created_at: now, previous: state.secret, previous_until: now + ROTATION_GRACE_MS });
      return info();
    },
    sign(body) {
      const now = clock.now();
      const inForce = info().previous_until === null || state.previous === null ? [state.secret] : [state.secret, state.previous];
      return signatureHeaders(inForce, body, now);
    },
  };
}

function newSecret(): string {
  return `sbwh_${randomBytes(32).toString('base64url')}`;
}

function readSecretFile(file: string): SecretFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new HubStartError(`could not read the callback secret ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const parsed = JSON.parse(text) as Partial<SecretFile>;
    if (typeof parsed.secret !== 'string' || parsed.secret.length < 16 || typeof parsed.created_at !== 'number') throw new Error('no secret in it');
    const previous = typeof parsed.previous === 'string' ? parsed.previous : null;
    const previousUntil = typeof parsed.previous_until === 'number' ? parsed.previous_until : null;
    return { secret: parsed.secret, created_at: parsed.created_at, previous, previous_until: previousUntil };
  } catch (error) {
    throw new HubStartError(
      `the callback secret ${file} is damaged (${(error as Error).message}): delete it to have a new secret made, then give callback receivers the new one`,
      { cause: error },
    );
  }
}

/** Writes atomically (temp file, then rename), readable by the user only. */
function writeSecretFile(file: string, state: SecretFile): SecretFile {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  if (process.platform !== 'win32') chmodSync(temp, 0o600);
  renameSync(temp, file);
  return state;
}
