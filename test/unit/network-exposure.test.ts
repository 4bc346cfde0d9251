import { describe, expect, it } from 'vitest';
import { exposureWarning, isLoopbackHost } from '../../electron/hub/startup/network-exposure.js';

describe('a hub bound beyond loopback', () => {
  it('counts 127.0.0.0/8, ::1 in its spellings and localhost as loopback, and nothing else', () => {
    const loopback = ['127.0.0.1', '127.1.2.3', '::1', '0:0:0:0:0:0:0:1', '[::1]', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST'];
    const beyond = ['0.0.0.0', '::', '192.168.1.20', '10.0.0.1', '128.0.0.1', '::ffff:10.0.0.1', 'fe80::1', '1::1', 'my-laptop.local', 'example.com'];
    expect({ loopback: loopback.filter(isLoopbackHost), beyond: beyond.filter(isLoopbackHost) }).toEqual({ loopback, beyond: [] });
  });

  it('gives no warning on loopback', () => {
    expect([exposureWarning('127.0.0.1', 8765), exposureWarning('::1', 8765), exposureWarning('localhost', 8765)]).toEqual([undefined, undefined, undefined]);
  });

  it('warns on every interface what other machines reach, and that tokens travel in clear text without TLS', () => {
    expect(exposureWarning('0.0.0.0', 8765)?.split('\n')).toEqual([
      "WARNING: the hub is listening on every network interface of this machine (0.0.0.0), port 8765, not only on this machine's loopback.",
      'WARNING: every machine that can reach that address can reach the hub: its WebSocket and HTTP API, the MCP endpoint and the dashboard, each for anyone with a token or login link.',
      'WARNING: without TLS, tokens, login links and messages travel in clear text: anyone on the network path can read them and act as you. Keep the hub on 127.0.0.1, or put it behind a TLS proxy on a network you trust.',
    ]);
  });

  it('names the one address a hub listens on', () => {
    expect(exposureWarning('192.168.1.20', 9000)?.split('\n')[0]).toBe(
      "WARNING: the hub is listening on 192.168.1.20, port 9000, not only on this machine's loopback.",
    );
  });
});
