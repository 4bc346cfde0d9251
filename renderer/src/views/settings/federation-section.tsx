/**
 * The settings page's Federation section: switch federation on or off and set the NATS servers, this hub's
 * id, the shared conversations, replicas, the login and the TLS files. It edits settings.json's
 * `federation` object as a whole; the form's logic is in federation-form.ts.
 */
import { useId, type ReactNode } from 'react';
import type { FederationDefaults } from '../../../../shared/index.js';
import { FEDERATION_LOGINS, LOGIN_LABELS, type FederationErrors, type FederationForm, type FederationInput, type FederationLogin } from './federation-form.js';

export interface FederationFieldsProps {
  form: FederationForm;
  /** The running federation in a few words. */
  inEffect: string;
  /** Saved, but waiting for a restart to apply. */
  pending: string | undefined;
  defaults: FederationDefaults;
  changed: boolean;
  errors: FederationErrors;
  /** Why the hub refused the section, in its words. */
  hubError: string | undefined;
  onChange(form: FederationForm): void;
}

type TextKey = FederationInput | 'hubId' | 'caFile' | 'certFile' | 'keyFile';

interface TextInputProps {
  label: string;
  help: ReactNode;
  name: TextKey;
  kind?: 'text' | 'list' | 'password' | 'number';
  placeholder?: string;
  fields: FederationFieldsProps;
}

function FederationText({ label, help, name, kind = 'text', placeholder, fields }: TextInputProps) {
  const id = useId();
  const errors: Partial<Record<TextKey, string>> = fields.errors;
  const error = errors[name];
  const describedBy = error === undefined ? `${id}-help` : `${id}-help ${id}-error`;
  const common = {
    id,
    name: `federation.${name}`,
    value: fields.form[name],
    placeholder,
    'aria-invalid': error !== undefined,
    'aria-describedby': describedBy,
    spellCheck: false,
    autoComplete: 'off',
  };
  const set = (value: string): void => fields.onChange({ ...fields.form, [name]: value });
  return (
    <div className="setting" data-testid={`federation-${name}`}>
      <label htmlFor={id} className="setting-label">
        {label}
      </label>
      <div className="setting-control">
        {kind === 'list' ? (
          <textarea {...common} rows={2} className="setting-text setting-list" onChange={(event) => set(event.target.value)} />
        ) : (
          <input
            {...common}
            type={kind === 'password' ? 'password' : 'text'}
            inputMode={kind === 'number' ? 'numeric' : undefined}
            className={kind === 'number' ? 'setting-number' : 'setting-text'}
            onChange={(event) => set(event.target.value)}
          />
        )}
      </div>
      <p className="setting-help muted" id={`${id}-help`}>
        {help}
      </p>
      {error === undefined ? null : (
        <p className="field-error" id={`${id}-error`} role="alert" data-testid={`field-error-federation-${name}`}>
          {error}
        </p>
      )}
    </div>
  );
}

function LoginChoice({ fields }: { fields: FederationFieldsProps }) {
  const id = useId();
  return (
    <div className="setting" data-testid="federation-login">
      <label htmlFor={id} className="setting-label">
        Log in with
      </label>
      <div className="setting-control">
        <select
          id={id}
          name="federation.login"
          value={fields.form.login}
          aria-describedby={`${id}-help`}
          onChange={(event) => fields.onChange({ ...fields.form, login: event.target.value as FederationLogin })}
        >
          {FEDERATION_LOGINS.map((login) => (
            <option key={login} value={login}>
              {LOGIN_LABELS[login]}
            </option>
          ))}
        </select>
      </div>
      <p className="setting-help muted" id={`${id}-help`}>
        How this hub logs in to NATS: the credentials its NATS user was given.
      </p>
    </div>
  );
}

function LoginInputs({ fields }: { fields: FederationFieldsProps }) {
  switch (fields.form.login) {
    case 'none':
      return null;
    case 'password':
      return (
        <>
          <FederationText fields={fields} name="user" label="User" help="This hub's NATS user." />
          <FederationText fields={fields} name="password" kind="password" label="Password" help="That user's password." />
        </>
      );
    case 'token':
      return <FederationText fields={fields} name="token" kind="password" label="Token" help="The token the NATS server takes." />;
    case 'credsFile':
      return <FederationText fields={fields} name="credsFile" label="Creds file" help="Path of a .creds file: a user JWT and its NKey seed." />;
    case 'nkeySeedFile':
      return <FederationText fields={fields} name="nkeySeedFile" label="NKey seed file" help="Path of a file holding this hub's NKey seed." />;
  }
}

export function FederationFields(fields: FederationFieldsProps) {
  const { form, inEffect, pending, defaults, changed, hubError, onChange } = fields;
  const switchId = useId();
  return (
    <>
      <p className="setting-help muted settings-federation-state">
        <span className="setting-effective" data-testid="effective-federation">
          In effect: <strong>{inEffect}</strong>
        </span>
        {pending === undefined ? null : (
          <span className="setting-pending" data-testid="pending-federation">
            {' '}
            · saved <strong>{pending}</strong>, applies after a restart
          </span>
        )}
        <span className="mono setting-key"> · federation</span>
      </p>
      {hubError === undefined ? null : (
        <p className="settings-warning settings-federation-refused" role="alert" data-testid="field-error-federation">
          {hubError}
        </p>
      )}
      <div className={`setting ${changed ? 'setting-changed' : ''}`}>
        <div className="setting-control">
          <input
            id={switchId}
            name="federation.enabled"
            type="checkbox"
            checked={form.enabled}
            onChange={(event) => onChange({ ...form, enabled: event.target.checked })}
            aria-describedby={`${switchId}-help`}
          />
          <label htmlFor={switchId} className="setting-label">
            Share conversations with other hubs
          </label>
          {changed ? <span className="chip chip-info setting-changed-chip">changed</span> : null}
        </div>
        <p className="setting-help muted" id={`${switchId}-help`}>
          Through a NATS JetStream server, with hubs on other machines. Off: this hub stands alone.
        </p>
      </div>
      {form.enabled ? (
        <div className="settings-fields settings-federation-fields">
          <FederationText
            fields={fields}
            name="servers"
            kind="list"
            label="NATS servers"
            placeholder="nats://10.0.0.5:4222"
            help={
              <>
                <code>nats://</code> or <code>tls://</code> addresses, one per line or comma-separated; list every server of a cluster.
              </>
            }
          />
          <FederationText
            fields={fields}
            name="conversations"
            kind="list"
            label="Shared conversations"
            placeholder="team-*"
            help={
              <>
                Names or patterns (<code>*</code> is any run of characters), one per line or comma-separated.
              </>
            }
          />
          <FederationText
            fields={fields}
            name="hubId"
            label="Hub id"
            placeholder={`default ${defaults.hubId}`}
            help="This hub's name among the others, unique among them: letters, digits, - and _. Empty: this machine's name."
          />
          <FederationText
            fields={fields}
            name="replicas"
            kind="number"
            label="Replicas"
            placeholder={`default ${defaults.replicas}`}
            help="How many NATS servers keep each message: 3 for a cluster of three."
          />
          <LoginChoice fields={fields} />
          <LoginInputs fields={fields} />
          <FederationText
            fields={fields}
            name="caFile"
            label="TLS CA file"
            help="For tls:// servers: the certificate authority to trust, if not the system's."
          />
          <FederationText fields={fields} name="certFile" label="TLS certificate file" help="A client certificate, for servers that ask for one." />
          <FederationText fields={fields} name="keyFile" label="TLS key file" help="The client certificate's private key." />
        </div>
      ) : null}
    </>
  );
}
