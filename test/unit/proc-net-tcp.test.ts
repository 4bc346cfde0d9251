import { describe, expect, it } from 'vitest';
import { addressKey, isLoopback } from '../../electron/hub/peer-process/endpoints.js';
import { clientSocketInodes, parseProcNetTcp } from '../../electron/hub/peer-process/proc-net-tcp.js';

/** /proc/net/tcp on a hub at 127.0.0.1:4000 (0FA0) with an agent connected from port 52345 (CC79), and its listening socket. */
const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:0FA0 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 31337 1 0000000000000000 100 0 0 10 0
   1: 0100007F:CC79 0100007F:0FA0 01 00000000:00000000 00:00000000 00000000  1000        0 424242 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:0FA0 0100007F:CC79 01 00000000:00000000 00:00000000 00000000  1000        0 424243 1 0000000000000000 20 4 30 10 -1
   3: 0100007F:D431 0100007F:0FA0 06 00000000:00000000 03:00000D3E 00000000     0        0 0 3 0000000000000000
`;

/** /proc/net/tcp6 on a hub at [::1]:4000 with an agent from port 52346 (CC7A), and one on ::ffff:127.0.0.1 from 52347 (CC7B). */
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:CC7A 00000000000000000000000001000000:0FA0 01 00000000:00000000 00:00000000 00000000  1000        0 515151 1 0000000000000000 20 4 30 10 -1
   1: 0000000000000000FFFF00000100007F:CC7B 0000000000000000FFFF00000100007F:0FA0 01 00000000:00000000 00:00000000 00000000  1000        0 616161 1 0000000000000000 20 4 30 10 -1
`;

const ends = (client: string, clientPort: number, hub: string) => ({ remote: { address: client, port: clientPort }, local: { address: hub, port: 4000 } });

describe('/proc/net/tcp', () => {
  it('finds the inode of the client end of an IPv4 loopback connection, not the hub end nor the listening socket', () => {
    expect(clientSocketInodes(parseProcNetTcp(TCP))(ends('127.0.0.1', 52345, '127.0.0.1'))).toBe('424242');
  });

  it('finds IPv6 loopback and IPv4-mapped connections in tcp6', () => {
    const entries = parseProcNetTcp(TCP6);
    expect([
      clientSocketInodes(entries)(ends('::1', 52346, '::1')),
      clientSocketInodes(entries)(ends('::ffff:127.0.0.1', 52347, '::ffff:127.0.0.1')),
      clientSocketInodes(entries)(ends('127.0.0.1', 52347, '127.0.0.1')),
    ]).toEqual(['515151', '616161', '616161']);
  });

  it('finds nothing for a port no row has, nor for a closing socket whose inode is 0', () => {
    const entries = parseProcNetTcp(TCP);
    expect([clientSocketInodes(entries)(ends('127.0.0.1', 50000, '127.0.0.1')), clientSocketInodes(entries)(ends('127.0.0.1', 54321, '127.0.0.1'))]).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('passes over the rows of other local ports when asked for some', () => {
    expect([parseProcNetTcp(TCP, new Set([52345])).map((entry) => entry.inode), parseProcNetTcp(TCP6, new Set([52347])).map((entry) => entry.inode)]).toEqual([
      ['424242'],
      ['616161'],
    ]);
  });

  it('skips the header and lines that are not rows', () => {
    expect(parseProcNetTcp(`${TCP}garbage line\n`).map((entry) => entry.inode)).toEqual(['31337', '424242', '424243', '0']);
  });
});

describe('addresses', () => {
  it('compares IPv4, IPv4-mapped and expanded IPv6 forms as one', () => {
    expect([addressKey('127.0.0.1') === addressKey('::ffff:127.0.0.1'), addressKey('::1'), addressKey('fe80::1:2'), addressKey('not an address')]).toEqual([
      true,
      '00000000000000000000000000000001',
      'fe800000000000000000000000010002',
      undefined,
    ]);
  });

  it('counts only this machine’s addresses as loopback', () => {
    expect(['127.0.0.1', '127.3.4.5', '::1', '::ffff:127.0.0.1', '192.168.1.20', '::ffff:10.0.0.1', 'fe80::1'].map(isLoopback)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
