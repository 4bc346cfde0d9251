/** The callback signing secret: made once, kept in a file only its owner reads, rotated with a grace period for the old one. */
import { createHmac } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { callbackSecretPath, openCallbackSecret, ROTATION_GRACE_MS } from '../../electron/hub/relay/callback-secret.js';
import { HubStartError } from '../../electron/common/start-error.js';
import { tempDir } from '../helpers/hub.js';

const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const dir = tempDir('switchboard-secret-');
  folders.push(dir);
  return dir;
}

/** Verifies the way a receiver does: any `sha256=` value in the header matching HMAC-SHA256(secret, "<timestamp>.<body>"). */
function verifies(secret: string, headers: Record<string, string>, body: string): boolean {
  const timestamp = headers['x-switchboard-timestamp'] ?? '';
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
  return (headers['x-switchboard-signature'] ?? '').split(',').some((value) => value.trim() === expected);
}

describe('the callback secret', () => {
  it('is made at first start in a file only its owner may read, and the same secret comes back on the next start', () => {
    const dir = folder();
    const clock = { now: () => Date.parse('2026-12-01T10:00:00Z') };
    const first = openCallbackSecret(dir, clock).info();
    const again = openCallbackSecret(dir, clock).info();
    expect({
      shape: /^sbwh_[A-Za-z0-9_-]{43}$/.test(first.secret),
      mode: (statSync(callbackSecretPath(dir)).mode & 0o777).toString(8),
      again: again.secret === first.secret,
      other: openCallbackSecret(folder(), clock).info().secret === first.secret,
      previous_until: first.previous_until,
    }).toEqual({ shape: true, mode: '600', again: true, other: false, previous_until: null });
  });

  it('signs with the new secret and, for a day after a rotation, with the old one too; then with the new one only', () => {
    const dir = folder();
    let now = Date.parse('2026-12-01T10:00:00Z');
    const secret = openCallbackSecret(dir, { now: () => now });
    const old = secret.info().secret;
    const rotated = secret.rotate();
    const body = '{"task_id":"t-1","status":"completed"}';
    const during = secret.sign(body);
    now += ROTATION_GRACE_MS + 1000;
    const after = secret.sign(body);
    expect({
      changed: rotated.secret !== old,
      previous_until: rotated.previous_until,
      during: {
        values: during['x-switchboard-signature']?.split(',').length,
        newVerifies: verifies(rotated.secret, during, body),
        oldVerifies: verifies(old, during, body),
      },
      after: {
        values: after['x-switchboard-signature']?.split(',').length,
        newVerifies: verifies(rotated.secret, after, body),
        oldVerifies: verifies(old, after, body),
      },
      graceOverInInfo: secret.info().previous_until,
      reopened: openCallbackSecret(dir, { now: () => now }).info().secret === rotated.secret,
      tampered: verifies(rotated.secret, after, body.replace('completed', 'failed')),
    }).toEqual({
      changed: true,
      previous_until: Date.parse('2026-12-01T10:00:00Z') + ROTATION_GRACE_MS,
      during: { values: 2, newVerifies: true, oldVerifies: true },
      after: { values: 1, newVerifies: true, oldVerifies: false },
      graceOverInInfo: null,
      reopened: true,
      tampered: false,
    });
  });

  it('stops the start with a sentence naming the file when the file is damaged, instead of silently making a new secret', () => {
    const dir = folder();
    writeFileSync(callbackSecretPath(dir), '{"secret": ');
    const open = () => openCallbackSecret(dir, { now: () => Date.now() });
    expect(open).toThrow(HubStartError);
    expect(open).toThrow(`the callback secret ${callbackSecretPath(dir)} is damaged`);
    expect(readFileSync(callbackSecretPath(dir), 'utf8')).toBe('{"secret": ');
  });
});
