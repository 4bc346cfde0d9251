// The settings page's federation section without React: inputs to settings.json's `federation` object and back.
import { describe, expect, it } from 'vitest';
import { federationSettings } from '../../electron/hub/federation/settings.js';
import {
  FEDERATION_LOGINS,
  FEDERATION_OFF,
  federationChanged,
  federationFormOf,
  federationSummary,
  parseFederationForm,
  pendingFederation,
  splitList,
  type FederationForm,
} from '../../renderer/src/views/settings/federation-form.js';

const on = (inputs: Partial<FederationForm>): FederationForm => ({ ...FEDERATION_OFF, enabled: true, ...inputs });
const DEFAULTS = { hubId: 'laptop', stream: 'SWITCHBOARD', replicas: 1 };

describe('parseFederationForm', () => {
  it('turns the inputs into the federation object, lists one per line or comma-separated, empty optional inputs left out', () => {
    const parsed = parseFederationForm(on({ servers: 'nats://a:4222\n nats://b:4222, nats://c:4222\n', conversations: 'team-*, release', replicas: ' ' }));
    expect(parsed).toEqual({ ok: true, value: { url: ['nats://a:4222', 'nats://b:4222', 'nats://c:4222'], conversations: ['team-*', 'release'] } });
  });

  it('sends one server as a plain address, and the hub id, replicas, login and TLS files when filled in', () => {
    const parsed = parseFederationForm(
      on({
        servers: ' tls://nats.lan:4222 ',
        hubId: ' laptop ',
        conversations: 'team-*',
        replicas: '3',
        login: 'password',
        user: ' laptop ',
        password: ' s3cret ',
        caFile: '/etc/nats/ca.pem',
        keyFile: ' ',
      }),
    );
    const value = {
      url: 'tls://nats.lan:4222',
      hubId: 'laptop',
      conversations: ['team-*'],
      replicas: 3,
      user: 'laptop',
      password: ' s3cret ',
      tls: { caFile: '/etc/nats/ca.pem' },
    };
    expect(parsed).toEqual({ ok: true, value });
    expect(federationSettings.safeParse(value).success).toBe(true);
  });

  it('sends only the chosen way to log in, whatever the other inputs still hold', () => {
    const typed = { servers: 'nats://a:4222', conversations: 'x', user: 'u', password: 'p', token: 't0k', credsFile: '/c.creds', nkeySeedFile: '/seed.nk' };
    const loginOf = (login: FederationForm['login']): unknown => {
      const parsed = parseFederationForm(on({ ...typed, login }));
      return parsed.ok ? Object.fromEntries(Object.entries(parsed.value ?? {}).filter(([key]) => !['url', 'conversations'].includes(key))) : parsed;
    };
    expect(FEDERATION_LOGINS.map(loginOf)).toEqual([
      {},
      { user: 'u', password: 'p' },
      { token: 't0k' },
      { credsFile: '/c.creds' },
      { nkeySeedFile: '/seed.nk' },
    ]);
  });

  it('switched off, sends null so the section leaves settings.json', () => {
    expect(parseFederationForm({ ...on({ servers: 'nats://a:4222', conversations: 'x' }), enabled: false })).toEqual({ ok: true, value: null });
  });

  it('names what must be filled in before saving, next to its input', () => {
    expect(parseFederationForm(on({ servers: ' , ', conversations: '', replicas: '2.5', login: 'password', user: 'u' }))).toEqual({
      ok: false,
      errors: {
        servers: 'Add at least one NATS server address, such as nats://10.0.0.5:4222',
        conversations: 'Add at least one conversation name or pattern, such as team-*',
        replicas: 'Replicas must be a whole number from 1 to 5',
        password: 'Password needs a value',
      },
    });
    expect(parseFederationForm(on({ servers: 'nats://a:4222', conversations: 'x', replicas: '6', login: 'token', token: ' ' }))).toMatchObject({
      ok: false,
      errors: { replicas: 'Replicas must be a whole number from 1 to 5', token: 'Token needs a value' },
    });
  });

  it('leaves the address format to the hub, so its message is the one shown', () => {
    expect(parseFederationForm(on({ servers: 'http://a:4222', conversations: 'x' }))).toEqual({
      ok: true,
      value: { url: 'http://a:4222', conversations: ['x'] },
    });
  });
});

describe('federationFormOf', () => {
  it('reads a saved federation object back into the inputs, and saving it unchanged gives the same object', () => {
    const saved = {
      url: ['nats://a:4222', 'nats://b:4222'],
      hubId: 'laptop',
      conversations: ['team-*', 'release'],
      replicas: 3,
      stream: 'TEAM',
      credsFile: '/home/ana/hub.creds',
      tls: { caFile: '/ca.pem', certFile: '/cert.pem', keyFile: '/key.pem' },
    };
    const form = federationFormOf(saved);
    expect(form).toEqual({
      ...FEDERATION_OFF,
      enabled: true,
      servers: 'nats://a:4222\nnats://b:4222',
      hubId: 'laptop',
      conversations: 'team-*\nrelease',
      replicas: '3',
      login: 'credsFile',
      credsFile: '/home/ana/hub.creds',
      caFile: '/ca.pem',
      certFile: '/cert.pem',
      keyFile: '/key.pem',
      kept: { stream: 'TEAM' },
    });
    expect(parseFederationForm(form)).toEqual({ ok: true, value: saved });
  });

  it('knows each way to log in', () => {
    expect(federationFormOf({ url: 'nats://a', conversations: ['x'], user: 'u', password: 'p' })).toMatchObject({
      login: 'password',
      user: 'u',
      password: 'p',
    });
    expect(federationFormOf({ url: 'nats://a', conversations: ['x'], token: 't' })).toMatchObject({ login: 'token', token: 't' });
    expect(federationFormOf({ url: 'nats://a', conversations: ['x'], nkeySeedFile: '/s' })).toMatchObject({ login: 'nkeySeedFile', nkeySeedFile: '/s' });
    expect(federationFormOf({ url: 'nats://a', conversations: ['x'] })).toMatchObject({ login: 'none', servers: 'nats://a' });
  });

  it('takes no federation object as federation off', () => {
    expect(federationFormOf(undefined)).toEqual(FEDERATION_OFF);
    expect(federationFormOf(null)).toEqual(FEDERATION_OFF);
  });
});

describe('federationChanged', () => {
  const baseline = federationFormOf({ url: 'nats://a:4222', conversations: ['team-*', 'release'] });

  it('compares what would be saved, so another way of writing the same lists is no change', () => {
    expect(federationChanged({ ...baseline, conversations: 'team-*, release' }, baseline)).toBe(false);
    expect(federationChanged({ ...baseline, token: 'typed but not chosen' }, baseline)).toBe(false);
    expect(federationChanged({ ...baseline, replicas: '3' }, baseline)).toBe(true);
    expect(federationChanged({ ...baseline, enabled: false }, baseline)).toBe(true);
    expect(federationChanged({ ...FEDERATION_OFF, servers: 'nats://x' }, FEDERATION_OFF)).toBe(false);
  });

  it('counts an incomplete edit as a change', () => {
    expect(federationChanged({ ...baseline, servers: '' }, baseline)).toBe(true);
  });
});

describe('the federation in effect and waiting for a restart', () => {
  const running = { url: 'nats://a:4222', conversations: ['team-*'], hubId: 'laptop', stream: 'SWITCHBOARD', replicas: 1 };

  it('says in a few words what the hub runs with', () => {
    expect(federationSummary(undefined)).toBe('off');
    expect(federationSummary({ ...running, url: ['nats://a:4222', 'nats://b:4222'] })).toBe('on as laptop via nats://a:4222, nats://b:4222, sharing team-*');
  });

  it('sees saved settings with their defaults left out as the ones in effect', () => {
    expect(pendingFederation({ url: 'nats://a:4222', conversations: ['team-*'] }, running, DEFAULTS)).toBeUndefined();
    expect(pendingFederation(undefined, undefined, DEFAULTS)).toBeUndefined();
  });

  it('describes what applies after a restart', () => {
    expect(pendingFederation({ url: 'nats://b:4222', conversations: ['team-*'] }, running, DEFAULTS)).toBe('on as laptop via nats://b:4222, sharing team-*');
    expect(pendingFederation(undefined, running, DEFAULTS)).toBe('off');
    expect(pendingFederation({ url: 'nats://a:4222', conversations: ['x'], hubId: 'box' }, undefined, DEFAULTS)).toBe('on as box via nats://a:4222, sharing x');
  });
});

describe('splitList', () => {
  it('splits on new lines and commas and drops blanks', () => {
    expect(splitList(' a,\n\nb , c ')).toEqual(['a', 'b', 'c']);
    expect(splitList('')).toEqual([]);
  });
});
