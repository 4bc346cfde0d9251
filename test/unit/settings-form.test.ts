// The settings form's pure parts: parsing inputs, comparing values, loopback detection and the hub's field errors.
import { describe, expect, it } from 'vitest';
import { ALL_FIELDS, type SettingField } from '../../renderer/src/views/settings/settings-fields.js';
import { fieldErrorsOf, isLoopback, parseInput, sameValue, toInput, unitHint } from '../../renderer/src/views/settings/settings-form.js';

function field(key: string): SettingField {
  const found = ALL_FIELDS.find((f) => f.key === key);
  if (found === undefined) throw new Error(`no field ${key}`);
  return found;
}

describe('parseInput', () => {
  it('checks whole numbers and ranges of hub settings', () => {
    expect(parseInput(field('port'), '8080')).toEqual({ ok: true, value: 8080 });
    expect(parseInput(field('port'), '70000')).toMatchObject({ ok: false, error: 'Port must be at most 65,535' });
    expect(parseInput(field('maxConnections'), '1.5')).toMatchObject({ ok: false });
    expect(parseInput(field('maxConnections'), 'many')).toMatchObject({ ok: false });
  });

  it('turns an emptied hub setting into null (back to its default)', () => {
    expect(parseInput(field('port'), '')).toEqual({ ok: true, value: null });
    expect(parseInput(field('host'), ' ')).toEqual({ ok: true, value: null });
  });

  it('accepts decimals for alert thresholds and honours exclusive minimums', () => {
    expect(parseInput(field('error_rate_threshold'), '7.5')).toEqual({ ok: true, value: 7.5 });
    expect(parseInput(field('error_rate_threshold'), '')).toMatchObject({ ok: false });
    expect(parseInput(field('task_wait_minutes'), '0')).toMatchObject({ ok: false });
  });

  it('splits lists and takes an empty webhook as none', () => {
    expect(parseInput(field('allowedOrigins'), 'http://a, http://b ,')).toEqual({ ok: true, value: ['http://a', 'http://b'] });
    expect(parseInput(field('webhook_url'), '')).toEqual({ ok: true, value: null });
    expect(parseInput(field('webhook_url'), 'ftp://x')).toMatchObject({ ok: false });
  });
});

describe('sameValue and toInput', () => {
  it('compares what would be sent', () => {
    expect(sameValue(field('allowedHosts'), 'a,b', 'a, b')).toBe(true);
    expect(sameValue(field('port'), '8765', '8766')).toBe(false);
    expect(toInput(field('allowedHosts'), ['a', 'b'])).toBe('a, b');
    expect(toInput(field('webhook_url'), null)).toBe('');
  });
});

describe('isLoopback', () => {
  it('knows the addresses no other machine reaches', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost']) expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '192.168.1.4', '::', 'example.com']) expect(isLoopback(host)).toBe(false);
  });
});

describe('unitHint', () => {
  it('reads durations and sizes', () => {
    expect(unitHint('ms', '30000')).toBe('30 s');
    expect(unitHint('bytes', '1048576')).toBe('1 MiB');
    expect(unitHint('ms', '500')).toBeUndefined();
  });
});

describe('fieldErrorsOf', () => {
  const known = new Set(ALL_FIELDS.map((f) => f.key));

  it('takes the hub settings’ per-field messages', () => {
    const error = { message: 'invalid settings: …', details: { fields: { port: 'port must be …' } } };
    expect(fieldErrorsOf(error, known)).toEqual({ port: 'port must be …' });
  });

  it('splits the alert settings’ one sentence by field', () => {
    const error = {
      message:
        'invalid alert settings: error_rate_threshold: Too big: expected number to be <=100; webhook_url: webhook host 169.254.169.254 is a cloud metadata address',
      details: undefined,
    };
    expect(fieldErrorsOf(error, known)).toEqual({
      error_rate_threshold: 'Too big: expected number to be <=100',
      webhook_url: 'webhook host 169.254.169.254 is a cloud metadata address',
    });
  });
});
