import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../electron/hub/config.js';
import { ConfigError } from '../../electron/common/config-error.js';
import { DEFAULT_LIMITS } from '../../shared/index.js';

describe('hub configuration', () => {
  it('uses the seed defaults: loopback, port 8765, 100 connections, 30 s heartbeat, 300 s idle, 1 MiB frames', () => {
    const config = resolveConfig({ dataDir: '/data' });
    expect({
      host: config.host,
      port: config.port,
      portFallback: config.portFallback,
      maxConnections: config.maxConnections,
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      idleTimeoutMs: config.idleTimeoutMs,
      maxFrameBytes: config.maxFrameBytes,
    }).toEqual({
      host: '127.0.0.1',
      port: 8765,
      portFallback: true,
      maxConnections: 100,
      heartbeatIntervalMs: 30_000,
      idleTimeoutMs: 300_000,
      maxFrameBytes: 1024 * 1024,
    });
    expect(DEFAULT_LIMITS.maxConnections).toBe(100);
  });

  it('does not move to another port when the port was chosen explicitly', () => {
    expect(resolveConfig({ dataDir: '/data', port: 9000 }).portFallback).toBe(false);
  });

  it('lists every invalid setting at once, naming each and the value it got', () => {
    let error: unknown;
    try {
      resolveConfig({ dataDir: '', port: 70000, maxConnections: -1, maxFrameBytes: 1.5, host: ' ' } as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'port must be a whole number from 0 to 65535 (got 70000)',
      'maxConnections must be a whole number from 1 to 1000000 (got -1)',
      'maxFrameBytes must be a whole number from 1024 to 268435456 (got 1.5)',
      'host must be an address such as 127.0.0.1',
      'dataDir must be a folder path',
    ]);
    expect((error as ConfigError).message).toContain('Invalid configuration:\n  - port must be');
  });

  it('names an unknown setting, so a typo in settings.json is not silently ignored', () => {
    expect(() => resolveConfig({ dataDir: '/d', maxConection: 5 } as never)).toThrow(
      /unknown setting "maxConection" \(known: allowedCallbackHosts, allowedHosts, allowedOrigins, /,
    );
  });

  it('keeps 1000 direct messages per offline agent by default, and refuses a capacity below 1', () => {
    expect(resolveConfig({ dataDir: '/d' }).offlineQueueCapacity).toBe(1000);
    expect(resolveConfig({ dataDir: '/d', offlineQueueCapacity: 5 }).offlineQueueCapacity).toBe(5);
    expect(() => resolveConfig({ dataDir: '/d', offlineQueueCapacity: 0 })).toThrow('offlineQueueCapacity must be a whole number from 1 to 1000000 (got 0)');
    expect(() => resolveConfig({ dataDir: '/d', offlineQueueCapcity: 5 } as never)).toThrow(
      /unknown setting "offlineQueueCapcity" \(known: .*\bofflineQueueCapacity\b/,
    );
  });

  it('refuses an idle timeout no longer than the heartbeat, which would close live connections', () => {
    expect(() => resolveConfig({ dataDir: '/d', heartbeatIntervalMs: 1000, idleTimeoutMs: 1000 })).toThrow(/idleTimeoutMs \(1000\) must be longer/);
  });

  it('refuses a portFallback that is not true or false, instead of taking "false" for true', () => {
    expect(() => resolveConfig({ dataDir: '/d', portFallback: 'false' as never })).toThrow('portFallback must be true or false (got "false")');
    expect(resolveConfig({ dataDir: '/d', portFallback: false }).portFallback).toBe(false);
  });

  it('leaves approval of new agents off by default, and refuses a value that is not true or false', () => {
    expect(resolveConfig({ dataDir: '/d' })).toMatchObject({ approveNewAgents: false, approvalTimeoutMs: 120_000 });
    expect(() => resolveConfig({ dataDir: '/d', approveNewAgents: 'yes' as never })).toThrow('approveNewAgents must be true or false (got "yes")');
    expect(() => resolveConfig({ dataDir: '/d', approvalTimeoutMs: 10 })).toThrow('approvalTimeoutMs must be a whole number from 1000 to 3600000 (got 10)');
  });

  it('reports a non-numeric value by what it was', () => {
    expect(() => resolveConfig({ dataDir: '/d', port: 'abc' as never })).toThrow('port must be a whole number from 0 to 65535 (got "abc")');
  });
});

describe('configuration problems by field', () => {
  it('files each problem under the setting it is about, joining two for one setting', () => {
    let error: unknown;
    try {
      resolveConfig({ dataDir: '/d', port: -1, maxConection: 5, allowedOrigins: 'x' } as never);
    } catch (caught) {
      error = caught;
    }
    expect((error as ConfigError).fields).toEqual({
      maxConection: expect.stringMatching(/^unknown setting "maxConection"/),
      port: 'port must be a whole number from 0 to 65535 (got -1)',
      allowedOrigins: 'allowedOrigins must be a list of strings',
    });
    expect(new ConfigError(['a', 'b', 'c'], ['port', undefined, 'port']).fields).toEqual({ port: 'a; c' });
  });
});
