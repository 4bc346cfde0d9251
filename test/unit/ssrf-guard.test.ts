import type { LookupAddress, LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  CallbackRefusedError,
  checkCallbackUrl,
  createGuardedLookup,
  refusedAddress,
  type CallbackPolicy,
  type Resolve,
} from '../../electron/hub/relay/ssrf-guard.js';

/** The port the hub under test listens on. */
const HUB_PORT = 8765;

/** A hub listening on `hubHost` (loopback by default) with `allowed` in allowedCallbackHosts. */
function policy(allowed: string[] = [], hubHost = '127.0.0.1'): CallbackPolicy {
  return { allowedHosts: allowed, hubHost, hubPort: () => HUB_PORT };
}

/** Checks each URL with `allowed`; maps it to its problem, or 'ok'. */
function checkAll(urls: string[], allowed: string[] = [], hubHost?: string): Record<string, string> {
  return Object.fromEntries(urls.map((url) => [url, checkCallbackUrl(url, policy(allowed, hubHost)) ?? 'ok']));
}

/** A resolver that answers from a fixed table, as a DNS server under an attacker's control would. */
function fakeDns(table: Record<string, string[]>): Resolve {
  return (hostname) => {
    const addresses = table[hostname];
    if (addresses === undefined) return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    return Promise.resolve(addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
}

/** Runs a lookup the way net.connect does and reports what it answered. */
function runLookup(
  lookup: LookupFunction,
  hostname: string,
  options: LookupOptions = {},
): Promise<{ error: string | null; refused: boolean; address: unknown; family?: number | undefined }> {
  return new Promise((resolve) =>
    lookup(hostname, options, (error, address, family) =>
      resolve(
        error ? { error: error.message, refused: error instanceof CallbackRefusedError, address: null } : { error: null, refused: false, address, family },
      ),
    ),
  );
}

describe('checkCallbackUrl', () => {
  it('refuses link-local, cloud metadata and unspecified addresses in every spelling, IPv4-mapped IPv6 included', () => {
    const urls = [
      'http://169.254.169.254/latest/meta-data/',
      'http://169.254.1.2:8080/',
      'http://100.100.100.200/',
      'http://0.0.0.0:9000/',
      'http://0/',
      'http://2852039166/',
      'http://0xa9.0xfe.0xa9.0xfe/',
      'http://[fe80::1]/',
      'http://[febf:ffff::1]/',
      'http://[fd00:ec2::254]/',
      'http://[fd00:0ec2:0000::0254]/',
      'http://[::]/',
      'http://[::ffff:169.254.169.254]/',
      'http://[::ffff:a9fe:101]/',
      'https://[::ffff:0.0.0.0]/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://METADATA.google.internal./',
      'http://metadata/',
    ];
    const allow = '; list it in allowedCallbackHosts to allow it';
    expect(checkAll(urls)).toEqual({
      'http://169.254.169.254/latest/meta-data/': `callback host 169.254.169.254 is a cloud metadata address${allow}`,
      'http://169.254.1.2:8080/': `callback host 169.254.1.2 is a link-local address${allow}`,
      'http://100.100.100.200/': `callback host 100.100.100.200 is a cloud metadata address${allow}`,
      'http://0.0.0.0:9000/': `callback host 0.0.0.0 is an unspecified address${allow}`,
      'http://0/': `callback host 0.0.0.0 is an unspecified address${allow}`,
      'http://2852039166/': `callback host 169.254.169.254 is a cloud metadata address${allow}`,
      'http://0xa9.0xfe.0xa9.0xfe/': `callback host 169.254.169.254 is a cloud metadata address${allow}`,
      'http://[fe80::1]/': `callback host fe80::1 is a link-local address${allow}`,
      'http://[febf:ffff::1]/': `callback host febf:ffff::1 is a link-local address${allow}`,
      'http://[fd00:ec2::254]/': `callback host fd00:ec2::254 is a cloud metadata address${allow}`,
      'http://[fd00:0ec2:0000::0254]/': `callback host fd00:ec2::254 is a cloud metadata address${allow}`,
      'http://[::]/': `callback host :: is an unspecified address${allow}`,
      'http://[::ffff:169.254.169.254]/': `callback host ::ffff:a9fe:a9fe (169.254.169.254) is a cloud metadata address${allow}`,
      'http://[::ffff:a9fe:101]/': `callback host ::ffff:a9fe:101 (169.254.1.1) is a link-local address${allow}`,
      'https://[::ffff:0.0.0.0]/': `callback host ::ffff:0:0 (0.0.0.0) is an unspecified address${allow}`,
      'http://metadata.google.internal/computeMetadata/v1/': `callback host metadata.google.internal is a cloud metadata name${allow}`,
      'http://METADATA.google.internal./': `callback host metadata.google.internal is a cloud metadata name${allow}`,
      'http://metadata/': `callback host metadata is a cloud metadata name${allow}`,
    });
  });

  it('allows loopback while the hub listens on loopback only, and ordinary public hosts', () => {
    const urls = [
      'http://127.0.0.1:8080/done',
      'http://localhost:3000/',
      'http://[::1]:9000/',
      'http://[::ffff:127.0.0.1]/',
      'http://127.0.0.2:9000/',
      'http://[fec0::1]/',
      'http://172.15.255.255/',
      'http://172.32.0.1/',
      'http://192.169.0.1/',
      'http://11.0.0.1/',
      'http://[fe00::1]/',
      'http://169.253.255.255/',
      'http://169.255.0.1/',
      'http://100.100.100.201/',
      'https://example.com/callbacks?task=1',
      'https://metadata.example.com/',
    ];
    expect(checkAll(urls)).toEqual(Object.fromEntries(urls.map((url) => [url, 'ok'])));
  });

  it('refuses the private-network ranges 10/8, 172.16/12, 192.168/16 and fc00::/7 unless the host is listed', () => {
    const urls = [
      'http://10.1.2.3/',
      'http://172.16.0.9/',
      'http://172.31.255.1/',
      'http://192.168.1.20/hook',
      'http://[fd12:3456::1]/',
      'http://[fc00::1]/',
      'http://[::ffff:10.0.0.1]/',
    ];
    const allow = '; list it in allowedCallbackHosts to allow it';
    expect({ refused: checkAll(urls), listed: checkAll(urls, ['10.1.2.3', '192.168.1.20', 'fd12:3456::1']) }).toEqual({
      refused: {
        'http://10.1.2.3/': `callback host 10.1.2.3 is a private-network address${allow}`,
        'http://172.16.0.9/': `callback host 172.16.0.9 is a private-network address${allow}`,
        'http://172.31.255.1/': `callback host 172.31.255.1 is a private-network address${allow}`,
        'http://192.168.1.20/hook': `callback host 192.168.1.20 is a private-network address${allow}`,
        'http://[fd12:3456::1]/': `callback host fd12:3456::1 is a private-network address${allow}`,
        'http://[fc00::1]/': `callback host fc00::1 is a private-network address${allow}`,
        'http://[::ffff:10.0.0.1]/': `callback host ::ffff:a00:1 (10.0.0.1) is a private-network address${allow}`,
      },
      listed: {
        'http://10.1.2.3/': 'ok',
        'http://172.16.0.9/': `callback host 172.16.0.9 is a private-network address${allow}`,
        'http://172.31.255.1/': `callback host 172.31.255.1 is a private-network address${allow}`,
        'http://192.168.1.20/hook': 'ok',
        'http://[fd12:3456::1]/': 'ok',
        'http://[fc00::1]/': `callback host fc00::1 is a private-network address${allow}`,
        'http://[::ffff:10.0.0.1]/': `callback host ::ffff:a00:1 (10.0.0.1) is a private-network address${allow}`,
      },
    });
  });

  it('refuses loopback targets while the hub listens beyond loopback, unless they are listed', () => {
    const urls = ['http://127.0.0.1:9000/done', 'http://localhost:9000/', 'http://[::1]:9000/', 'https://example.com/hook'];
    const beyond = '; list it in allowedCallbackHosts to allow it';
    const refused = {
      'http://127.0.0.1:9000/done': `callback host 127.0.0.1 is a loopback address, refused while the hub listens beyond loopback${beyond}`,
      'http://localhost:9000/': `callback host localhost is a loopback name, refused while the hub listens beyond loopback${beyond}`,
      'http://[::1]:9000/': `callback host ::1 is a loopback address, refused while the hub listens beyond loopback${beyond}`,
      'https://example.com/hook': 'ok',
    };
    expect({
      allInterfaces: checkAll(urls, [], '0.0.0.0'),
      lanAddress: checkAll(urls, [], '192.168.1.5'),
      listed: checkAll(urls, ['127.0.0.1', 'localhost', '::1'], '0.0.0.0'),
      localhostHub: checkAll(urls, [], 'localhost'),
    }).toEqual({
      allInterfaces: refused,
      lanAddress: refused,
      listed: Object.fromEntries(urls.map((url) => [url, 'ok'])),
      localhostHub: Object.fromEntries(urls.map((url) => [url, 'ok'])),
    });
  });

  it("never allows the hub's own address, in any spelling that reaches it, even when the host is listed", () => {
    const own = (host: string) => `callback host ${host} is the hub's own address; the hub never calls itself`;
    const urls = [
      'http://127.0.0.1:8765/api/relay/callback',
      'http://localhost:8765/',
      'http://[::1]:8765/',
      'http://[::ffff:127.0.0.1]:8765/',
      'http://0.0.0.0:8765/',
    ];
    expect({
      loopbackHub: checkAll(urls, ['127.0.0.1', 'localhost', '::1', '0.0.0.0']),
      otherPort: checkCallbackUrl('http://127.0.0.1:8766/', policy()) ?? 'ok',
      lanHub: checkAll(['http://192.168.1.5:8765/', 'http://127.0.0.1:8765/'], ['192.168.1.5', '127.0.0.1'], '192.168.1.5'),
      allInterfacesHub: checkCallbackUrl('http://127.0.0.1:8765/', policy(['127.0.0.1'], '0.0.0.0')),
    }).toEqual({
      loopbackHub: {
        'http://127.0.0.1:8765/api/relay/callback': own('127.0.0.1:8765'),
        'http://localhost:8765/': own('localhost:8765'),
        'http://[::1]:8765/': own('[::1]:8765'),
        'http://[::ffff:127.0.0.1]:8765/': own('[::ffff:7f00:1]:8765'),
        'http://0.0.0.0:8765/': own('0.0.0.0:8765'),
      },
      otherPort: 'ok',
      // Bound to a LAN address only, the hub is not on loopback: 127.0.0.1:8765 is someone else, allowed when listed.
      lanHub: { 'http://192.168.1.5:8765/': own('192.168.1.5:8765'), 'http://127.0.0.1:8765/': 'ok' },
      allInterfacesHub: own('127.0.0.1:8765'),
    });
  });

  it('lets through a refused host that is listed in allowedHosts, whatever its spelling', () => {
    const urls = [
      'http://169.254.169.254/',
      'http://[::ffff:169.254.169.254]/',
      'http://metadata.google.internal/',
      'http://[fd00:ec2:0::254]/',
      'http://169.254.1.1/',
    ];
    expect(checkAll(urls, ['169.254.169.254', 'Metadata.Google.Internal.', '[FD00:EC2::254]'])).toEqual({
      'http://169.254.169.254/': 'ok',
      'http://[::ffff:169.254.169.254]/': 'ok',
      'http://metadata.google.internal/': 'ok',
      'http://[fd00:ec2:0::254]/': 'ok',
      'http://169.254.1.1/': 'callback host 169.254.1.1 is a link-local address; list it in allowedCallbackHosts to allow it',
    });
  });

  it('accepts only absolute http: and https: URLs', () => {
    expect(checkAll(['ftp://127.0.0.1/x', 'file:///etc/passwd', 'ws://127.0.0.1:8765/ws', 'javascript:alert(1)', '/relative/path', 'not a url', ''])).toEqual({
      'ftp://127.0.0.1/x': 'the callback URL must use http: or https: (got ftp:)',
      'file:///etc/passwd': 'the callback URL must use http: or https: (got file:)',
      'ws://127.0.0.1:8765/ws': 'the callback URL must use http: or https: (got ws:)',
      'javascript:alert(1)': 'the callback URL must use http: or https: (got javascript:)',
      '/relative/path': 'the callback URL is not a valid absolute URL',
      'not a url': 'the callback URL is not a valid absolute URL',
      '': 'the callback URL is not a valid absolute URL',
    });
  });

  it('refuses credentials in the URL without repeating them, even for an allowed host', () => {
    expect(checkAll(['http://user:hunter2@127.0.0.1/', 'http://user@127.0.0.1/', 'https://:hunter2@example.com/'], ['127.0.0.1'])).toEqual({
      'http://user:hunter2@127.0.0.1/': 'the callback URL must not contain a user name or password',
      'http://user@127.0.0.1/': 'the callback URL must not contain a user name or password',
      'https://:hunter2@example.com/': 'the callback URL must not contain a user name or password',
    });
  });
});

describe('refusedAddress', () => {
  it('judges bare addresses, with or without brackets and zone ids, and ignores hostnames', () => {
    const addresses = ['169.254.169.254', '[fe80::1]', 'fe80::1%eth0', '::ffff:169.254.169.254', '::', '127.0.0.1', '::1', 'example.com'];
    expect(Object.fromEntries(addresses.map((a) => [a, refusedAddress(a) ?? 'ok']))).toEqual({
      '169.254.169.254': '169.254.169.254 is a cloud metadata address',
      '[fe80::1]': 'fe80::1 is a link-local address',
      'fe80::1%eth0': 'fe80::1%eth0 is a link-local address',
      '::ffff:169.254.169.254': '::ffff:169.254.169.254 (169.254.169.254) is a cloud metadata address',
      '::': ':: is an unspecified address',
      '127.0.0.1': 'ok',
      '::1': 'ok',
      'example.com': 'ok',
    });
  });
});

describe('createGuardedLookup', () => {
  const dns = fakeDns({
    'rebind.test': ['169.254.169.254'],
    'mixed.test': ['127.0.0.1', '169.254.169.254'],
    'mapped.test': ['::ffff:169.254.169.254'],
    'linklocal6.test': ['fe80::1234'],
    'fine.test': ['203.0.113.5', '2001:db8::5'],
    'lan.test': ['192.168.1.5'],
    'hub.test': ['127.0.0.1'],
    'printer.test': ['169.254.10.20'],
    'empty.test': [],
  });

  it('refuses a hostname that resolves to a refused address, so DNS rebinding cannot reach metadata at connect time', async () => {
    const lookup = createGuardedLookup(policy(), 443, dns);
    const results = Object.fromEntries(
      await Promise.all(
        ['rebind.test', 'mixed.test', 'mapped.test', 'linklocal6.test', 'lan.test'].map(async (host) => [host, await runLookup(lookup, host)] as const),
      ),
    );
    const allow = '; list it in allowedCallbackHosts to allow it';
    expect(results).toEqual({
      'rebind.test': { error: `callback host rebind.test resolves to 169.254.169.254 is a cloud metadata address${allow}`, refused: true, address: null },
      'mixed.test': { error: `callback host mixed.test resolves to 169.254.169.254 is a cloud metadata address${allow}`, refused: true, address: null },
      'mapped.test': {
        error: `callback host mapped.test resolves to ::ffff:169.254.169.254 (169.254.169.254) is a cloud metadata address${allow}`,
        refused: true,
        address: null,
      },
      'linklocal6.test': { error: `callback host linklocal6.test resolves to fe80::1234 is a link-local address${allow}`, refused: true, address: null },
      'lan.test': { error: `callback host lan.test resolves to 192.168.1.5 is a private-network address${allow}`, refused: true, address: null },
    });
  });

  it("refuses a hostname that resolves to the hub's own address on the hub's port, even when listed, and lets it through on another port", async () => {
    const listed = policy(['hub.test', '127.0.0.1']);
    expect({
      hubPort: await runLookup(createGuardedLookup(listed, HUB_PORT, dns), 'hub.test'),
      otherPort: await runLookup(createGuardedLookup(listed, 9000, dns), 'hub.test'),
    }).toEqual({
      hubPort: { error: "callback host hub.test resolves to 127.0.0.1, the hub's own address; the hub never calls itself", refused: true, address: null },
      otherPort: { error: null, refused: false, address: '127.0.0.1', family: 4 },
    });
  });

  it('answers like dns.lookup for allowed addresses: the first one, or all of them when asked', async () => {
    const lookup = createGuardedLookup(policy(), 443, dns);
    expect({ one: await runLookup(lookup, 'fine.test'), all: await runLookup(lookup, 'fine.test', { all: true }) }).toEqual({
      one: { error: null, refused: false, address: '203.0.113.5', family: 4 },
      all: {
        error: null,
        refused: false,
        address: [
          { address: '203.0.113.5', family: 4 },
          { address: '2001:db8::5', family: 6 },
        ],
        family: undefined,
      },
    });
  });

  it('lets a refused address through when the hostname or the address itself is listed in allowedHosts', async () => {
    const byName = createGuardedLookup(policy(['rebind.test']), 80, dns);
    const byAddress = createGuardedLookup(policy(['169.254.10.20']), 80, dns);
    expect({
      byName: await runLookup(byName, 'rebind.test'),
      otherName: (await runLookup(byName, 'mapped.test')).refused,
      byAddress: await runLookup(byAddress, 'printer.test'),
    }).toEqual({
      byName: { error: null, refused: false, address: '169.254.169.254', family: 4 },
      otherName: true,
      byAddress: { error: null, refused: false, address: '169.254.10.20', family: 4 },
    });
  });

  it('passes resolver failures and empty answers on as ordinary, retryable errors', async () => {
    const lookup = createGuardedLookup(policy(), 80, dns);
    expect({ unknown: await runLookup(lookup, 'nowhere.test'), empty: await runLookup(lookup, 'empty.test') }).toEqual({
      unknown: { error: 'getaddrinfo ENOTFOUND nowhere.test', refused: false, address: null },
      empty: { error: 'empty.test has no address', refused: false, address: null },
    });
  });

  it('resolves with the system resolver by default (localhost is loopback, which is allowed)', async () => {
    const result = await runLookup(createGuardedLookup(policy(), 9000), 'localhost');
    expect({ error: result.error, loopback: ['127.0.0.1', '::1'].includes(String(result.address)) }).toEqual({ error: null, loopback: true });
  });
});
