/**
 * The settings view (admin): the hub's settings file (applied at the next start), its federation section,
 * and the alert thresholds (applied at once) in one form. Save sends only what changed, each part to its
 * endpoint; a refused value is explained next to its field and the value in effect stays.
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { httpRoutes, type AlertConfig, type UpdateAlertConfigRequest } from '../../../../shared/index.js';
import { api } from '../../api/http.js';
import { HubErrorText, toHubError } from '../../components/hub-error-text.js';
import { useHubQuery } from '../../components/use-hub-query.js';
import { useStore } from '../../store/store.js';
import { BackupsNote } from './backups-note.js';
import { CallbackSecretCard } from './callback-secret-card.js';
import { CliToolCard } from './cli-tool-card.js';
import { SelftestCard } from './selftest-card.js';
import {
  federationChanged,
  federationFormOf,
  federationSummary,
  parseFederationForm,
  pendingFederation,
  type FederationErrors,
  type FederationForm,
} from './federation-form.js';
import { FederationFields } from './federation-section.js';
import { SettingInput } from './setting-input.js';
import { ALL_FIELDS, SETTING_GROUPS, type SettingField, type SettingGroup, type SettingSource } from './settings-fields.js';
import { fieldErrorsOf, isLoopback, parseInput, sameValue, toInput, type InputValue } from './settings-form.js';
import './settings.css';

interface SaveOutcome {
  hub?: { restart: string[] };
  alerts?: true;
}

type Failures = Partial<Record<SettingSource, ReturnType<typeof toHubError>>>;

/** The federation section edits settings.json's `federation` object as a whole, under this key. */
const FEDERATION = 'federation';
const KNOWN_KEYS = new Set([...ALL_FIELDS.map((f) => f.key), FEDERATION]);
const LABELS = new Map([...ALL_FIELDS.map((f) => [f.key, f.label] as const), [FEDERATION, 'Federation'] as const]);
const FEDERATION_NOTE = 'Saved to the settings file; the hub uses it from its next start.';
const sourceOf = (group: SettingGroup): SettingSource => group.fields[0]?.source ?? 'hub';
const HUB_GROUPS = SETTING_GROUPS.filter((group) => sourceOf(group) === 'hub');
const ALERT_GROUPS = SETTING_GROUPS.filter((group) => sourceOf(group) === 'alerts');

export function SettingsView() {
  const admin = useStore((s) => s.session?.admin === true);
  const hub = useHubQuery(admin ? httpRoutes.settings : undefined);
  const alerts = useHubQuery(admin ? httpRoutes.alertConfig : undefined);
  // Looked up by each field's key.
  const effective: Record<string, unknown> | undefined = hub.data?.effective;
  const [draft, setDraft] = useState<Record<string, InputValue>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  // The federation section's inputs while edited; undefined shows what is saved.
  const [federationDraft, setFederationDraft] = useState<FederationForm | undefined>(undefined);
  const [federationErrors, setFederationErrors] = useState<FederationErrors>({});
  const [failures, setFailures] = useState<Failures>({});
  const [outcome, setOutcome] = useState<SaveOutcome | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  // Saved edits stay in the form until the refetched settings hold them, so no field flashes its old value.
  const settled = useRef<Record<SettingSource, string[]>>({ hub: [], alerts: [] });
  const settle = (source: SettingSource): void => {
    const keys = settled.current[source];
    if (keys.length === 0) return;
    settled.current[source] = [];
    setDraft((current) => Object.fromEntries(Object.entries(current).filter(([key]) => !keys.includes(key))));
    if (keys.includes(FEDERATION)) setFederationDraft(undefined);
  };
  useEffect(() => settle('hub'), [hub.data]);
  useEffect(() => settle('alerts'), [alerts.data]);

  if (!admin) {
    return (
      <p className="muted" role="status">
        Settings need the admin session: open the dashboard with a login link from the hub (<code>switchboard open</code>).
      </p>
    );
  }

  const effectiveOf = (field: SettingField): unknown => (field.source === 'hub' ? effective?.[field.key] : alerts.data?.config[field.key as keyof AlertConfig]);
  /** What the form starts from: the file's value (it may be waiting for a restart), else the value in effect. */
  const savedOf = (field: SettingField): unknown => {
    if (field.source === 'alerts' || hub.data === undefined) return effectiveOf(field);
    return field.key in hub.data.file ? hub.data.file[field.key] : effective?.[field.key];
  };
  const baselineOf = (field: SettingField): InputValue => toInput(field, savedOf(field));
  const valueOf = (field: SettingField): InputValue => draft[field.key] ?? baselineOf(field);
  const isChanged = (field: SettingField): boolean => field.key in draft && !sameValue(field, valueOf(field), baselineOf(field));
  const pendingOf = (field: SettingField): unknown => {
    if (field.source !== 'hub' || hub.data === undefined || !(field.key in hub.data.file)) return undefined;
    const saved = hub.data.file[field.key];
    return JSON.stringify(saved) === JSON.stringify(effective?.[field.key]) ? undefined : saved;
  };
  const loaded = (source: SettingSource): boolean => (source === 'hub' ? hub.data !== undefined : alerts.data !== undefined);
  const changedFields = ALL_FIELDS.filter((f) => loaded(f.source) && isChanged(f));

  const savedFederation = hub.data === undefined ? undefined : FEDERATION in hub.data.file ? hub.data.file[FEDERATION] : effective?.[FEDERATION];
  const federationBaseline = federationFormOf(savedFederation);
  const federationForm = federationDraft ?? federationBaseline;
  const federationIsChanged = loaded('hub') && federationDraft !== undefined && federationChanged(federationDraft, federationBaseline);
  const changeCount = changedFields.length + (federationIsChanged ? 1 : 0);
  const errorKeys = [...Object.keys(errors), ...(Object.keys(federationErrors).length > 0 && errors[FEDERATION] === undefined ? [FEDERATION] : [])];

  const edit = (field: SettingField, value: InputValue): void => {
    setDraft((current) => ({ ...current, [field.key]: value }));
    setOutcome(undefined);
    if (errors[field.key] !== undefined) {
      setErrors((current) => {
        const next = { ...current };
        delete next[field.key];
        return next;
      });
    }
  };

  const editFederation = (form: FederationForm): void => {
    setFederationDraft(form);
    setFederationErrors({});
    setOutcome(undefined);
    if (errors[FEDERATION] !== undefined) {
      setErrors((current) => {
        const next = { ...current };
        delete next[FEDERATION];
        return next;
      });
    }
  };

  const discard = (): void => {
    setDraft({});
    setErrors({});
    setFailures({});
    setFederationDraft(undefined);
    setFederationErrors({});
  };

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const changes: Record<SettingSource, Record<string, unknown>> = { hub: {}, alerts: {} };
    for (const field of changedFields) {
      const parsed = parseInput(field, valueOf(field));
      if (parsed.ok) changes[field.source][field.key] = parsed.value;
      else found[field.key] = parsed.error;
    }
    const federation = federationIsChanged ? parseFederationForm(federationForm) : undefined;
    if (federation?.ok === true) changes.hub[FEDERATION] = federation.value;
    setErrors(found);
    setFederationErrors(federation?.ok === false ? federation.errors : {});
    setFailures({});
    setOutcome(undefined);
    if (Object.keys(found).length > 0 || federation?.ok === false || changeCount === 0) return;

    setSaving(true);
    const done: SaveOutcome = {};
    const failed: Failures = {};
    const refused: Record<string, string> = {};
    const send = async (source: SettingSource, request: () => Promise<void>): Promise<void> => {
      if (Object.keys(changes[source]).length === 0) return;
      try {
        await request();
        settled.current[source] = Object.keys(changes[source]);
      } catch (caught) {
        const error = toHubError(caught);
        const byField = fieldErrorsOf(error, KNOWN_KEYS);
        Object.assign(refused, byField);
        // A problem no field explains (or one with a field the form does not show) is shown by the Save button.
        if (Object.keys(byField).length === 0 || Object.keys(byField).some((key) => !KNOWN_KEYS.has(key))) failed[source] = error;
      }
    };
    await send('hub', async () => {
      const answer = await api(httpRoutes.saveSettings, { body: changes.hub });
      done.hub = { restart: answer.restart_required };
    });
    await send('alerts', async () => {
      // The alert fields' keys are the alert settings (settings-fields.ts); the hub refuses any other.
      await api(httpRoutes.updateAlertConfig, { body: changes.alerts as UpdateAlertConfigRequest });
      done.alerts = true;
    });
    setSaving(false);
    setErrors(refused);
    setFailures(failed);
    if (done.hub !== undefined || done.alerts !== undefined) setOutcome(done);
    if (done.hub !== undefined) hub.reload();
    if (done.alerts !== undefined) alerts.reload();
  };

  const hostField = ALL_FIELDS.find((f) => f.key === 'host');
  const hostValue = hostField === undefined || !loaded('hub') ? '' : String(valueOf(hostField));
  const exposed = hostValue.trim() !== '' && !isLoopback(hostValue);

  /** A card of settings; `content` is shown once its source has loaded. */
  const card = (id: string, title: string, note: string | undefined, source: SettingSource, content: ReactNode): ReactNode => {
    const query = source === 'hub' ? hub : alerts;
    return (
      <section key={id} className="card settings-group" aria-labelledby={`settings-${id}`} data-testid={`settings-group-${id}`}>
        <div className="settings-group-head">
          <h2 id={`settings-${id}`}>{title}</h2>
          {note === undefined ? null : <span className="muted">{note}</span>}
        </div>
        {query.data === undefined ? (
          query.error === undefined ? (
            <p className="muted">Loading…</p>
          ) : source === 'hub' ? (
            <p className="muted">Not loaded: see the error under Settings file.</p>
          ) : (
            <HubErrorText error={query.error} />
          )
        ) : (
          content
        )}
      </section>
    );
  };

  const groupCard = (group: SettingGroup): ReactNode =>
    card(
      group.id,
      group.title,
      group.note,
      sourceOf(group),
      <>
        {group.id === 'network' && exposed ? (
          <p className="settings-warning" role="alert" data-testid="host-warning">
            <strong>{hostValue.trim()}</strong> is not a loopback address: the hub would be reachable from other machines on the network, and anyone who can
            reach it can try tokens against it. Use this only on a network you trust, and keep tokens secret. 127.0.0.1 keeps the hub on this machine.
          </p>
        ) : null}
        <div className="settings-fields">
          {group.fields.map((field) => (
            <SettingInput
              key={field.key}
              field={field}
              value={valueOf(field)}
              effective={effectiveOf(field)}
              pending={pendingOf(field)}
              changed={isChanged(field)}
              error={errors[field.key]}
              onChange={(value) => edit(field, value)}
            />
          ))}
        </div>
      </>,
    );

  return (
    <form className="settings" onSubmit={(event) => void save(event)} noValidate>
      <section className="card settings-file" aria-label="Settings file">
        <div className="stat-label">Settings file</div>
        {hub.data === undefined ? (
          <HubErrorText error={hub.error} />
        ) : (
          <>
            <div className="mono settings-path" data-testid="settings-path">
              {hub.data.path}
            </div>
            <p className="muted">
              Hub settings are saved here and read when the hub starts; options given to <code>switchboard serve</code> (such as <code>--port</code>) override
              them. Alert thresholds are kept in the hub’s database and apply as soon as they are saved.
            </p>
          </>
        )}
      </section>

      {HUB_GROUPS.map(groupCard)}

      {card(
        FEDERATION,
        'Federation',
        FEDERATION_NOTE,
        'hub',
        hub.data === undefined ? null : (
          <FederationFields
            form={federationForm}
            inEffect={federationSummary(effective?.[FEDERATION])}
            pending={pendingFederation(hub.data.file[FEDERATION], effective?.[FEDERATION], hub.data.federation_defaults)}
            defaults={hub.data.federation_defaults}
            changed={federationIsChanged}
            errors={federationErrors}
            hubError={errors[FEDERATION]}
            onChange={editFederation}
          />
        ),
      )}

      {ALERT_GROUPS.map(groupCard)}

      <CallbackSecretCard />

      <BackupsNote settingsPath={hub.data?.path} />

      <SelftestCard />

      <CliToolCard />

      <div className="settings-savebar" role="region" aria-label="Save settings">
        <div className="settings-savebar-status">
          {outcome === undefined ? null : <SavedNote outcome={outcome} />}
          <HubErrorText error={failures.hub} />
          <HubErrorText error={failures.alerts} />
          {errorKeys.length > 0 ? (
            <p className="field-error">
              Not saved: {errorKeys.map((key) => LABELS.get(key) ?? key).join(', ')} {errorKeys.length === 1 ? 'was' : 'were'} not accepted (see the message
              next to each). Fix and save again — until then the hub keeps the values in effect.
            </p>
          ) : null}
          {outcome === undefined && errorKeys.length === 0 ? (
            <span className="muted">{changeCount === 0 ? 'No unsaved changes.' : `${changeCount} unsaved ${changeCount === 1 ? 'change' : 'changes'}.`}</span>
          ) : null}
        </div>
        <button type="button" onClick={discard} disabled={saving || (changeCount === 0 && errorKeys.length === 0)}>
          Discard changes
        </button>
        <button type="submit" className="primary" disabled={saving || changeCount === 0}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}

function SavedNote({ outcome }: { outcome: SaveOutcome }) {
  const restart = outcome.hub?.restart ?? [];
  return (
    <p className="settings-saved" role="status" data-testid="settings-saved">
      {outcome.hub === undefined ? null : (
        <>
          Hub settings saved.{' '}
          {restart.length === 0 ? (
            'The running hub already uses these values.'
          ) : (
            <>
              Restart the hub to apply <span data-testid="restart-required">{restart.map((key) => LABELS.get(key) ?? key).join(', ')}</span> (desktop app: tray
              → Stop hub, then Start hub; headless: stop <code>switchboard serve</code> and start it again).
            </>
          )}{' '}
        </>
      )}
      {outcome.alerts === undefined ? null : 'Alert thresholds saved and applied.'}
    </p>
  );
}
