/**
 * The settings form's logic without React: values to and from what the inputs hold, the client-side
 * checks, what changed, and the hub's validation errors mapped to fields.
 */
import type { SettingField } from './settings-fields.js';

/** What an input holds: text for text and number inputs, a flag for checkboxes. */
export type InputValue = string | boolean;

export type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

export function toInput(field: SettingField, value: unknown): InputValue {
  if (field.kind === 'boolean') return value === true;
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

function inRange(field: SettingField, n: number): string | undefined {
  const { min, max, minExclusive } = field;
  if (min !== undefined && (minExclusive === true ? n <= min : n < min))
    return `must be ${minExclusive === true ? 'more than' : 'at least'} ${min.toLocaleString()}`;
  if (max !== undefined && n > max) return `must be at most ${max.toLocaleString()}`;
  return undefined;
}

/** The value to send for what the person typed, or why it is not acceptable. */
export function parseInput(field: SettingField, input: InputValue): Parsed {
  if (field.kind === 'boolean') return { ok: true, value: input === true };
  const text = String(input).trim();
  // An emptied hub setting leaves the settings file, so its default applies again.
  if (text === '' && field.source === 'hub' && field.kind !== 'list') return { ok: true, value: null };
  switch (field.kind) {
    case 'integer':
    case 'number': {
      if (text === '') return { ok: false, error: `${field.label} needs a value` };
      const n = Number(text);
      if (!Number.isFinite(n)) return { ok: false, error: `${field.label} must be a number` };
      if (field.kind === 'integer' && !Number.isInteger(n)) return { ok: false, error: `${field.label} must be a whole number` };
      const problem = inRange(field, n);
      return problem === undefined ? { ok: true, value: n } : { ok: false, error: `${field.label} ${problem}` };
    }
    case 'list':
      return {
        ok: true,
        value:
          text === ''
            ? []
            : text
                .split(',')
                .map((item) => item.trim())
                .filter((item) => item !== ''),
      };
    case 'url':
      if (text === '') return { ok: true, value: null };
      return /^https?:\/\/\S+$/i.test(text) ? { ok: true, value: text } : { ok: false, error: `${field.label} must start with http:// or https://` };
    case 'choice':
      return (field.choices ?? []).includes(text)
        ? { ok: true, value: text }
        : { ok: false, error: `${field.label} must be one of ${(field.choices ?? []).join(', ')}` };
    case 'text':
      return text === '' ? { ok: false, error: `${field.label} needs a value` } : { ok: true, value: text };
  }
}

/** The same setting, compared as sent (so "1, 2" and "1,2" are no change). */
export function sameValue(field: SettingField, a: InputValue, b: InputValue): boolean {
  const left = parseInput(field, a);
  const right = parseInput(field, b);
  if (left.ok && right.ok) return JSON.stringify(left.value) === JSON.stringify(right.value);
  return a === b;
}

/** 127.x.x.x, ::1 and localhost: addresses no other machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** A human reading of a number in its unit, e.g. 30000 ms → "30 s", 1048576 bytes → "1 MiB". */
export function unitHint(unit: string | undefined, input: InputValue): string | undefined {
  const n = Number(input);
  if (typeof input !== 'string' || input.trim() === '' || !Number.isFinite(n) || n === 0) return undefined;
  if (unit === 'ms' && n >= 1000) return humanDuration(n);
  if (unit === 'min' && n >= 60) return humanDuration(n * 60_000);
  if (unit === 'bytes' && n >= 1024) return humanBytes(n);
  return undefined;
}

function humanDuration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1000, 's'],
  ];
  for (const [size, name] of units) {
    if (ms >= size) return `${Number((ms / size).toFixed(2))} ${name}`;
  }
  return `${ms} ms`;
}

function humanBytes(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number(value.toFixed(2))} ${units[unit]}`;
}

/**
 * Per-field messages from a failed save: `details.fields` (hub settings), or the alert settings' one
 * sentence, "invalid alert settings: error_rate_threshold: Too big…; enabled: …", split by field.
 */
export function fieldErrorsOf(error: { message: string; details: Record<string, unknown> | undefined }, known: ReadonlySet<string>): Record<string, string> {
  const fields = error.details?.['fields'];
  if (fields !== null && typeof fields === 'object') {
    return Object.fromEntries(Object.entries(fields as Record<string, unknown>).map(([key, message]) => [key, String(message)]));
  }
  const found: Record<string, string> = {};
  const body = error.message.replace(/^[^:]*settings:\s*/, '');
  for (const part of body.split('; ')) {
    const match = /^([a-zA-Z_]+): (.*)$/.exec(part);
    if (match !== null && known.has(match[1] ?? '')) found[match[1] ?? ''] = match[2] ?? part;
  }
  return found;
}
