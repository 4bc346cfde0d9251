/** One setting in the form: label, input with its unit, help, the value in effect, and the reason it was refused. */
import { useId } from 'react';
import type { SettingField } from './settings-fields.js';
import { toInput, unitHint, type InputValue } from './settings-form.js';

export interface SettingInputProps {
  field: SettingField;
  value: InputValue;
  /** What the running hub uses now. */
  effective: unknown;
  /** Saved, but waiting for a restart to apply (differs from `effective`). */
  pending: unknown;
  changed: boolean;
  error: string | undefined;
  onChange(value: InputValue): void;
}

const UNIT_LABELS: Record<string, string> = { ms: 'ms', bytes: 'bytes', s: 's', min: 'min', days: 'days', '%': '%', count: '' };

function shown(field: SettingField, value: unknown): string {
  const input = toInput(field, value);
  if (typeof input === 'boolean') return input ? 'on' : 'off';
  if (input === '') return field.emptyMeans ?? (field.kind === 'list' ? 'none' : '—');
  const unit = field.unit === undefined ? '' : UNIT_LABELS[field.unit];
  return unit === undefined || unit === '' ? input : `${input} ${unit}`;
}

export function SettingInput({ field, value, effective, pending, changed, error, onChange }: SettingInputProps) {
  const id = useId();
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const describedBy = error === undefined ? helpId : `${helpId} ${errorId}`;
  const unit = field.unit === undefined ? undefined : UNIT_LABELS[field.unit];
  const hint = unitHint(field.unit, value);
  const placeholder = field.defaultValue === null ? (field.emptyMeans ?? '') : `default ${toInput(field, field.defaultValue) || 'none'}`;

  const control =
    field.kind === 'choice' ? (
      <select
        id={id}
        name={field.key}
        value={typeof value === 'string' ? value : ''}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy}
      >
        <option value="">{placeholder}</option>
        {(field.choices ?? []).map((choice) => (
          <option key={choice} value={choice}>
            {choice}
          </option>
        ))}
      </select>
    ) : field.kind === 'boolean' ? (
      <input
        id={id}
        name={field.key}
        type="checkbox"
        checked={value === true}
        onChange={(event) => onChange(event.target.checked)}
        aria-describedby={describedBy}
      />
    ) : (
      <input
        id={id}
        name={field.key}
        type={field.kind === 'url' ? 'url' : 'text'}
        inputMode={field.kind === 'integer' ? 'numeric' : field.kind === 'number' ? 'decimal' : undefined}
        value={typeof value === 'string' ? value : ''}
        placeholder={placeholder}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy}
        spellCheck={false}
        autoComplete="off"
        className={field.kind === 'integer' || field.kind === 'number' ? 'setting-number' : 'setting-text'}
      />
    );

  return (
    <div className={`setting ${changed ? 'setting-changed' : ''}`} data-setting={field.key} data-testid={`setting-${field.key}`}>
      {field.kind === 'boolean' ? null : (
        <label htmlFor={id} className="setting-label">
          {field.label}
        </label>
      )}
      <div className="setting-control">
        {control}
        {field.kind === 'boolean' ? (
          <label htmlFor={id} className="setting-label">
            {field.label}
          </label>
        ) : null}
        {unit === undefined || unit === '' ? null : <span className="setting-unit">{unit}</span>}
        {hint === undefined ? null : <span className="setting-hint muted">= {hint}</span>}
        {changed ? <span className="chip chip-info setting-changed-chip">changed</span> : null}
      </div>
      <p className="setting-help muted" id={helpId}>
        {field.help}{' '}
        <span className="setting-effective" data-testid={`effective-${field.key}`}>
          In effect: <strong>{shown(field, effective)}</strong>
        </span>
        {pending === undefined ? null : (
          <span className="setting-pending">
            {' '}
            · saved <strong>{shown(field, pending)}</strong>, applies after a restart
          </span>
        )}
        <span className="mono setting-key"> · {field.key}</span>
      </p>
      {error === undefined ? null : (
        <p className="field-error" id={errorId} data-testid={`field-error-${field.key}`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
